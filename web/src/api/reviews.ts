// The monthly account review (账号定期复核): campaigns and the decisions on their accounts.
import { request, type BodyFor, type QueryFor } from './client'

export const reviewsApi = {
  list: (query: QueryFor<'/account-reviews'>) => request('get', '/account-reviews', { query }),
  start: (period: string) => request('post', '/account-reviews', { body: { period } }),
  get: (id: number) => request('get', '/account-reviews/{id}', { path: { id } }),
  decide: (id: number, item: number, body: BodyFor<'/account-reviews/{id}/items/{item}', 'post'>) =>
    request('post', '/account-reviews/{id}/items/{item}', { path: { id, item }, body }),
}
