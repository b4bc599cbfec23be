// The shapes and calls of the credential vault (密码保管库): its state (sealed until an
// authorized person unseals it with the passphrase), entries (metadata only; the secret
// comes back only from reveal, or once when generated), rotation, vendor access and the
// record of reveals. Secrets are returned to the caller and never kept here.
import { api } from '@/api'
import type { RoleName } from '@/api/types'

export type VaultState = 'uninitialized' | 'sealed' | 'unsealed'

export interface VaultStatus {
  state: VaultState
  unsealed_at: string | null
  /** The login name of who unsealed it (or a user id). */
  unsealed_by: string | number | null
  failures: number
  locked_until: string | null
  initialized_at?: string | null
}

export type EntryKind =
  | 'server' | 'firewall' | 'router' | 'switch' | 'erp_admin' | 'oa_admin' | 'domain' | 'mail' | 'database' | 'other'
export const ENTRY_KINDS: EntryKind[] = ['server', 'firewall', 'router', 'switch', 'erp_admin', 'oa_admin', 'domain', 'mail', 'database', 'other']
/** The roles an entry may name as allowed to reveal it (the IT roles). */
export const REVEAL_ROLES: RoleName[] = ['it_staff', 'sys_admin', 'security_admin']

export interface VaultEntry {
  id: number
  name: string
  kind: EntryKind
  system: string
  host: string
  username: string
  reveal_roles: RoleName[]
  notes: string | null
  rotated_at: string | null
  rotate_due_at: string | null
  rotate_reason: 'yearly' | 'vendor_access' | null
  /** The server's view of the rotation: overdue, due within its notice, or fine. */
  rotation_status?: 'overdue' | 'due_soon' | 'ok'
  vendor_access_at: string | null
  vendor: string | null
  vendor_note?: string | null
  version: number
  created_at: string
}

export interface EntryInput {
  name?: string
  kind?: EntryKind
  system?: string
  host?: string
  username?: string
  reveal_roles?: RoleName[]
  notes?: string | null
}

/** One reveal in the record: who saw which entry's secret, why and when. */
export interface RevealRecord {
  id?: number
  entry_id: number
  entry_name?: string | null
  user_id: number | null
  username?: string | null
  reason: string
  source?: string
  at?: string | number
  revealed_at?: string
  created_at?: string
}

type Page<T> = { items: T[]; next: string | null }
type SecretSpec = { secret: string } | { generate: { length?: number } }

export const vaultApi = {
  status: () => api.get<VaultStatus>('/vault'),
  init: (passphrase: string) => api.post<VaultStatus>('/vault/init', { passphrase }),
  unseal: (passphrase: string) => api.post<VaultStatus>('/vault/unseal', { passphrase }),
  seal: () => api.post<VaultStatus>('/vault/seal'),

  entries: () => api.all<VaultEntry>('/vault/entries'),
  create: (e: EntryInput & SecretSpec) => api.post<{ entry: VaultEntry; secret?: string }>('/vault/entries', e),
  update: (id: number, e: EntryInput & { version: number }) => api.patch<VaultEntry>(`/vault/entries/${id}`, e),
  rotate: (id: number, body: { version: number } & SecretSpec) => api.post<{ entry: VaultEntry; secret?: string }>(`/vault/entries/${id}/rotate`, body),
  reveal: (id: number, reason: string) => api.post<{ secret: string; hide_after?: number }>(`/vault/entries/${id}/reveal`, { reason }),
  vendorAccess: (id: number, vendor: string, note?: string) => api.post<VaultEntry>(`/vault/entries/${id}/vendor-access`, note ? { vendor, note } : { vendor }),
  generate: (length?: number) => api.post<{ password: string }>('/vault/generate', length ? { length } : {}),
  reveals: (q: { after?: string | null; limit?: number; entry_id?: number }) => api.get<Page<RevealRecord>>('/vault/reveals', { limit: 50, ...q }),
}

/** A rough strength of a secret typed by hand: length and character classes. */
export function strength(s: string): { level: 0 | 1 | 2 | 3; classes: number } {
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(s)).length
  const n = [...s].length
  if (n === 0) return { level: 0, classes }
  if (n >= 16 && classes >= 3) return { level: 3, classes }
  if (n >= 12 && classes >= 3) return { level: 2, classes }
  return { level: 1, classes }
}
