// The audit trail (审计日志): search, verification of the whole chain, the signed checkpoint,
// and the inclusion and consistency proofs of the Merkle tree.
import { request, type QueryFor } from './client'

export const auditApi = {
  search: (query: QueryFor<'/audit'>) => request('get', '/audit', { query }),
  verify: () => request('get', '/audit/verify'),
  checkpoint: () => request('get', '/audit/checkpoint'),
  consistency: (first: number, second?: number) => request('get', '/audit/consistency', { query: { first, second } }),
  proof: (seq: number) => request('get', '/audit/{id}/proof', { path: { id: seq } }),
}
