// The shapes and calls of backups: the platform's own backups (备份: snapshot, verification,
// retention, off-site copy) and the tracking of the organization's backup jobs and their
// reported runs (业务系统备份).
import { api } from '@/api'
import type { Label } from '@/api/types'

export type BackupStatus = 'running' | 'verified' | 'failed'
export type BackupTrigger = 'schedule' | 'manual' | 'cli'

/** What the verification of a backup found after restoring it into a scratch folder. */
export interface BackupCheck {
  /** "ok" or the first lines of PRAGMA integrity_check. */
  integrity: string
  audit: { ok: boolean; size: number; checkpoints?: number; message?: string; root?: string }
  counts: Record<string, number>
  /** Whether the restored copy holds the row counts recorded at backup time. */
  counts_match?: boolean
  files: number
  missing_files?: number
  schema?: number
  created_at?: string
}

export interface Backup {
  id: number
  name: string | null
  trigger: BackupTrigger
  requested_by?: number | null
  started_at: string
  finished_at: string | null
  size: number | null
  sha256: string | null
  status: BackupStatus
  error: string | null
  check: BackupCheck | null
  offsite: { status: 'copied' | 'failed' | 'none'; error: string | null } | null
  pruned_at: string | null
}

export interface BackupKeep {
  daily: number
  weekly: number
  monthly: number
}

export interface BackupConfig {
  schedule: string
  keep: BackupKeep
  offsite_dir: string | null
  next_at: string | null
  requested_at?: string | null
  version: number
}

export type JobStatus = 'ok' | 'missed' | 'failed' | 'unverified' | 'never'
export const JOB_STATUSES: JobStatus[] = ['missed', 'failed', 'unverified', 'never', 'ok']

export interface BackupRun {
  id: number
  job_id: number
  job_key: string
  status: 'ok' | 'failed'
  started_at: string | null
  finished_at: string
  size: number | null
  sha256: string | null
  location: string | null
  offsite: boolean
  verified: boolean
  message: string | null
  /** The login name of who reported it (a script's token owner), or "system". */
  reported_by: string | number | null
  reported_at: string
}

export interface BackupJob {
  id: number
  key: string
  system: string
  label: Label
  schedule: string[]
  within: string
  offsite: string | null
  max_age: string
  source: 'pack' | 'admin'
  enabled: boolean
  version: number
  status: JobStatus
  /** The open miss: when the run was due, and whether the run or its off-site copy is missing. */
  missed?: { due_at: string | null; kind: string } | null
  /** The policy clause a pack job follows, and its help text. */
  clause?: string | null
  help?: Label | string | null
  retired?: boolean
  last_run: BackupRun | null
  last_verified_at: string | null
  next_due_at: string | null
}

export interface JobInput {
  key?: string
  system?: string
  label?: Label
  schedule?: string[]
  within?: string
  offsite?: string | null
  max_age?: string
  enabled?: boolean
}

export interface RunInput {
  job: string
  status: 'ok' | 'failed'
  started_at?: string
  finished_at?: string
  size?: number
  sha256?: string
  location?: string
  offsite: boolean
  verified: boolean
  message?: string
}

type Page<T> = { items: T[]; next: string | null }

export const backupApi = {
  list: (after?: string | null, limit = 50) => api.get<Page<Backup>>('/backups', { limit, after }),
  runNow: () => api.post<{ queued: boolean }>('/backups'),
  config: () => api.get<BackupConfig>('/backups/config'),
  saveConfig: (c: Omit<BackupConfig, 'next_at' | 'requested_at'>) => api.put<BackupConfig>('/backups/config', c),

  jobs: () => api.all<BackupJob>('/backup-jobs'),
  createJob: (j: JobInput) => api.post<BackupJob>('/backup-jobs', j),
  patchJob: (id: number, j: JobInput & { version: number }) => api.patch<BackupJob>(`/backup-jobs/${id}`, j),
  runs: (q: { job_id?: number; status?: string; after?: string | null; limit?: number }) =>
    api.get<Page<BackupRun>>('/backup-runs', { limit: 50, ...q }),
  report: (r: RunInput) => api.post<BackupRun>('/backup-runs', r),
}

/** "1.4 GB": a size in bytes for people (1024-based, one decimal from KB on). */
export function humanSize(n: number | null | undefined): string {
  if (n === null || n === undefined || isNaN(n)) return '—'
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB']
  let v = n
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i]}`
}
