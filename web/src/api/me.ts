// The caller's own account (/session, /me): logging in and out, the password and two-factor
// login, the language, notifications, sessions and API tokens.
import { request, type BodyFor, type QueryFor } from './client'

export const meApi = {
  login: (body: BodyFor<'/session', 'post'>) => request('post', '/session', { body }),
  logout: () => request('delete', '/session'),
  get: () => request('get', '/me'),
  update: (body: BodyFor<'/me', 'patch'>) => request('patch', '/me', { body }),
  changePassword: (body: BodyFor<'/me/password', 'post'>) => request('post', '/me/password', { body }),
  passwordPolicy: () => request('get', '/me/password-policy'),
  checkPassword: (newPassword: string) => request('post', '/me/password/check', { body: { new_password: newPassword } }),
  startTotp: () => request('post', '/me/totp'),
  confirmTotp: (code: string) => request('post', '/me/totp/confirm', { body: { code } }),
  notifications: (query: QueryFor<'/me/notifications'>) => request('get', '/me/notifications', { query }),
  readNotification: (id: number) => request('post', '/me/notifications/{id}/read', { path: { id } }),
  sessions: () => request('get', '/me/sessions'),
  endOtherSessions: () => request('delete', '/me/sessions'),
  tokens: () => request('get', '/me/tokens'),
  createToken: (body: BodyFor<'/me/tokens', 'post'>) => request('post', '/me/tokens', { body }),
  revokeToken: (id: number) => request('delete', '/me/tokens/{id}', { path: { id } }),
}
