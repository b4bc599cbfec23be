// The server's state and the security policy (安全策略).
import { request, type BodyFor } from './client'

export const systemApi = {
  health: () => request('get', '/health'),
  policy: () => request('get', '/security/policy'),
  updatePolicy: (body: BodyFor<'/security/policy', 'patch'>) => request('patch', '/security/policy', { body }),
}
