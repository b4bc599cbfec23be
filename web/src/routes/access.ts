// Who can do what (权限矩阵): for the security administrator, the auditors, leadership and the
// assessors (the permission "permissions.read").
import type { AppRoutes } from './types'

export default [
  {
    path: '/security/permissions',
    name: 'access',
    component: () => import('@/views/access/AccessView.vue'),
    meta: { title: 'access.nav', perm: 'permissions.read', menu: { group: 'security', order: 70 } },
  },
] satisfies AppRoutes
