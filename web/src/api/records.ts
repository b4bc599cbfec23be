// The pack's forms and registers (台账) and their records: lists, one record and its history,
// export and import, and the files that records and requests cite.
import { download, request, upload, type BodyFor, type QueryFor } from './client'

export const packApi = {
  forms: () => request('get', '/meta/forms'),
  requests: () => request('get', '/meta/requests'),
}

export const recordsApi = {
  list: (query: QueryFor<'/records'>) => request('get', '/records', { query }),
  get: (id: number) => request('get', '/records/{id}', { path: { id } }),
  create: (body: BodyFor<'/records', 'post'>) => request('post', '/records', { body }),
  update: (id: number, body: BodyFor<'/records/{id}', 'patch'>) => request('patch', '/records/{id}', { path: { id }, body }),
  history: (id: number, query: QueryFor<'/records/{id}/history'>) => request('get', '/records/{id}/history', { path: { id }, query }),
  export: (query: QueryFor<'/records/export'>) => download('/records/export', query),
  import: (file: File, type: string, dryRun: boolean) => upload('/records/import', file, { type, dry_run: dryRun ? 'true' : 'false' }),
}

export const filesApi = {
  upload: (file: File) => upload('/files', file, { name: file.name }),
  download: (sha256: string) => download('/files', { sha256 }),
}
