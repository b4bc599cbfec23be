// Time (时限): the working-day calendar, the deadlines on records and requests with their
// pauses, the recurring duties' tasks, and the pack's rules for both.
import { all, request, upload, type BodyFor, type QueryFor } from './client'

export const calendarApi = {
  get: () => request('get', '/calendar'),
  put: (body: BodyFor<'/calendar', 'put'>) => request('put', '/calendar', { body }),
  import: (file: File, dryRun: boolean) => upload('/calendar/import', file, dryRun ? { dry_run: true } : undefined),
}

export const deadlinesApi = {
  list: (query: QueryFor<'/deadlines'>) => request('get', '/deadlines', { query }),
  all: (query: QueryFor<'/deadlines'> = {}, max?: number) => all('/deadlines', query, max),
  pause: (id: number, version: number, note: string) => request('post', '/deadlines/{id}/pause', { path: { id }, body: { version, note } }),
  resume: (id: number, version: number) => request('post', '/deadlines/{id}/resume', { path: { id }, body: { version } }),
}

export const tasksApi = {
  list: (query: QueryFor<'/tasks'>) => request('get', '/tasks', { query }),
  all: (query: QueryFor<'/tasks'> = {}, max?: number) => all('/tasks', query, max),
  done: (id: number, recordId: number) => request('post', '/tasks/{id}/done', { path: { id }, body: { record_id: recordId } }),
}

export const timeRulesApi = {
  get: () => request('get', '/meta/time-rules'),
}
