import type { AppRoutes } from './types'

export default [
  { path: '/', name: 'dashboard', component: () => import('@/views/dashboard/DashboardView.vue'), meta: { title: 'nav.dashboard', menu: { group: 'work', order: 0 } } },
] satisfies AppRoutes
