// The shapes and calls of the credential vault (密码保管库): its state (sealed until an
// authorized person unseals it with the passphrase), entries (metadata only; the secret
// comes back only from reveal, or once when generated), rotation, vendor access and the
// record of reveals. Secrets are returned to the caller and never kept here.
import { all, request, type BodyFor, type QueryFor, type Schemas } from './client'

export type VaultStatus = Schemas['VaultStatus']
export type VaultState = VaultStatus['state']
export type EntryKind = Schemas['VaultKind']
export const ENTRY_KINDS: EntryKind[] = ['server', 'firewall', 'router', 'switch', 'erp_admin', 'oa_admin', 'domain', 'mail', 'database', 'other']
/** The roles an entry may name as allowed to reveal it (the IT roles). */
export const REVEAL_ROLES: Schemas['VaultRevealRoles'] = ['it_staff', 'sys_admin', 'security_admin']

/** An entry: its metadata only, never the secret. */
export type VaultEntry = Schemas['VaultEntry']
export type EntryCreate = Schemas['VaultEntryCreate']
export type EntryUpdate = Schemas['VaultEntryUpdate']
/** One reveal in the record: who saw which entry's secret, why and when. */
export type RevealRecord = Schemas['VaultReveal']

export const vaultApi = {
  status: () => request('get', '/vault'),
  init: (passphrase: string) => request('post', '/vault/init', { body: { passphrase } }),
  unseal: (passphrase: string) => request('post', '/vault/unseal', { body: { passphrase } }),
  seal: () => request('post', '/vault/seal'),

  entries: () => all('/vault/entries'),
  create: (e: EntryCreate) => request('post', '/vault/entries', { body: e }),
  update: (id: number, e: EntryUpdate) => request('patch', '/vault/entries/{id}', { path: { id }, body: e }),
  rotate: (id: number, body: BodyFor<'/vault/entries/{id}/rotate', 'post'>) => request('post', '/vault/entries/{id}/rotate', { path: { id }, body }),
  reveal: (id: number, reason: string) => request('post', '/vault/entries/{id}/reveal', { path: { id }, body: { reason } }),
  vendorAccess: (id: number, vendor: string, note?: string) =>
    request('post', '/vault/entries/{id}/vendor-access', { path: { id }, body: note ? { vendor, note } : { vendor } }),
  generate: (length?: number) => request('post', '/vault/generate', { body: length ? { length } : {} }),
  reveals: (q: QueryFor<'/vault/reveals'>) => request('get', '/vault/reveals', { query: { limit: 50, ...q } }),
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
