// Requests (申请) and their approval chains: the caller's requests, filing one, a request with
// its steps and history, the decisions on a step, withdrawing and resubmitting, and the inbox
// of the steps waiting for the caller.
import { all, request, type BodyFor, type QueryFor } from './client'

export type Decision = 'approve' | 'reject' | 'return'

export const requestsApi = {
  list: (query: QueryFor<'/requests'>) => request('get', '/requests', { query }),
  file: (body: BodyFor<'/requests', 'post'>) => request('post', '/requests', { body }),
  get: (id: number) => request('get', '/requests/{id}', { path: { id } }),
  decide: (id: number, decision: Decision, body: BodyFor<'/requests/{id}/approve', 'post'>) => {
    switch (decision) {
      case 'approve':
        return request('post', '/requests/{id}/approve', { path: { id }, body })
      case 'reject':
        return request('post', '/requests/{id}/reject', { path: { id }, body })
      case 'return':
        return request('post', '/requests/{id}/return', { path: { id }, body })
    }
  },
  withdraw: (id: number) => request('post', '/requests/{id}/withdraw', { path: { id } }),
  resubmit: (id: number, body: BodyFor<'/requests/{id}/resubmit', 'post'>) => request('post', '/requests/{id}/resubmit', { path: { id }, body }),
}

export const inboxApi = {
  list: (query: QueryFor<'/approvals/inbox'>) => request('get', '/approvals/inbox', { query }),
  all: (max?: number) => all('/approvals/inbox', {}, max),
}
