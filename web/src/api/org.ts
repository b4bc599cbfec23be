// The organization (账号、部门、角色): accounts and what the system and security administrators
// do with them, the people directory, departments and the roles.
import { all, request, type BodyFor, type QueryFor } from './client'

/** The account actions of the system and security administrators without a body. */
export type UserAction = 'unlock' | 'disable' | 'enable' | 'reset-totp'

export const usersApi = {
  list: (query: QueryFor<'/users'>) => request('get', '/users', { query }),
  get: (id: number) => request('get', '/users/{id}', { path: { id } }),
  create: (body: BodyFor<'/users', 'post'>) => request('post', '/users', { body }),
  update: (id: number, body: BodyFor<'/users/{id}', 'patch'>) => request('patch', '/users/{id}', { path: { id }, body }),
  act: (id: number, action: UserAction) => {
    switch (action) {
      case 'unlock':
        return request('post', '/users/{id}/unlock', { path: { id } })
      case 'disable':
        return request('post', '/users/{id}/disable', { path: { id } })
      case 'enable':
        return request('post', '/users/{id}/enable', { path: { id } })
      case 'reset-totp':
        return request('post', '/users/{id}/reset-totp', { path: { id } })
    }
  },
  resetPassword: (id: number) => request('post', '/users/{id}/reset-password', { path: { id } }),
  setRoles: (id: number, roles: BodyFor<'/users/{id}/roles', 'post'>['roles']) => request('post', '/users/{id}/roles', { path: { id }, body: { roles } }),
  tokens: (id: number) => request('get', '/users/{id}/tokens', { path: { id } }),
  revokeToken: (id: number, token: number) => request('delete', '/users/{id}/tokens/{token}', { path: { id, token } }),
}

export const directoryApi = {
  list: (query: QueryFor<'/directory'>) => request('get', '/directory', { query }),
  all: () => all('/directory'),
}

export const departmentsApi = {
  all: () => all('/departments'),
  get: (id: number) => request('get', '/departments/{id}', { path: { id } }),
  create: (body: BodyFor<'/departments', 'post'>) => request('post', '/departments', { body }),
  update: (id: number, body: BodyFor<'/departments/{id}', 'patch'>) => request('patch', '/departments/{id}', { path: { id }, body }),
}

export const rolesApi = {
  list: () => request('get', '/roles'),
}
