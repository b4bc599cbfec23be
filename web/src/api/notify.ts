// Notification channels (通知渠道: e-mail and chat robots) and the record of deliveries.
import { request, type BodyFor, type QueryFor } from './client'

export const channelsApi = {
  list: () => request('get', '/notify/channels'),
  create: (body: BodyFor<'/notify/channels', 'post'>) => request('post', '/notify/channels', { body }),
  update: (id: number, body: BodyFor<'/notify/channels/{id}', 'patch'>) => request('patch', '/notify/channels/{id}', { path: { id }, body }),
  test: (id: number, body: BodyFor<'/notify/channels/{id}/test', 'post'>) => request('post', '/notify/channels/{id}/test', { path: { id }, body }),
}

export const deliveriesApi = {
  list: (query: QueryFor<'/notify/deliveries'>) => request('get', '/notify/deliveries', { query }),
}
