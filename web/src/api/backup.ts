// The shapes and calls of backups: the platform's own backups (备份: snapshot, verification,
// retention, off-site copy) and the tracking of the organization's backup jobs and their
// reported runs (业务系统备份).
import { all, request, type BodyFor, type QueryFor, type Schemas } from './client'

export type Backup = Schemas['Backup']
export type BackupStatus = Backup['status']
export type BackupTrigger = Backup['trigger']
/** What the verification of a backup found after restoring it into a scratch folder. */
export type BackupCheck = NonNullable<Backup['check']>
export type BackupConfig = Schemas['BackupConfig']
export type BackupKeep = BackupConfig['keep']

export type BackupJob = Schemas['BackupJob']
export type JobStatus = BackupJob['status']
export const JOB_STATUSES: JobStatus[] = ['missed', 'failed', 'unverified', 'never', 'ok']
export type BackupRun = Schemas['BackupRun']
export type JobInput = Schemas['BackupJobCreate']
export type JobPatch = Schemas['BackupJobPatch']
export type RunInput = Schemas['BackupRunReport']

export const backupApi = {
  list: (q: QueryFor<'/backups'> = {}) => request('get', '/backups', { query: { limit: 50, ...q } }),
  runNow: () => request('post', '/backups'),
  config: () => request('get', '/backups/config'),
  saveConfig: (c: BodyFor<'/backups/config', 'put'>) => request('put', '/backups/config', { body: c }),

  jobs: () => all('/backup-jobs'),
  job: (id: number) => request('get', '/backup-jobs/{id}', { path: { id } }),
  createJob: (j: JobInput) => request('post', '/backup-jobs', { body: j }),
  patchJob: (id: number, j: JobPatch) => request('patch', '/backup-jobs/{id}', { path: { id }, body: j }),
  runs: (q: QueryFor<'/backup-runs'>) => request('get', '/backup-runs', { query: { limit: 50, ...q } }),
  report: (r: RunInput) => request('post', '/backup-runs', { body: r }),
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
