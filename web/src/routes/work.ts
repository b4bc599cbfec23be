// The personal work screens: deadlines, recurring duties, notifications and the own account.
import type { AppRoutes } from './types'

export default [
  { path: '/deadlines', name: 'deadlines', component: () => import('@/views/work/DeadlinesView.vue'), meta: { title: 'work.title.deadlines', menu: { group: 'work', order: 30 } } },
  { path: '/tasks', name: 'tasks', component: () => import('@/views/work/TasksView.vue'), meta: { title: 'work.title.tasks', menu: { group: 'work', order: 35 } } },
  { path: '/notifications', name: 'notifications', component: () => import('@/views/work/NotificationsView.vue'), meta: { title: 'work.title.notifications', menu: { group: 'work', order: 40 } } },
  { path: '/account', name: 'account', component: () => import('@/views/work/AccountView.vue'), meta: { title: 'work.title.account', menu: { group: 'account', order: 0 } } },
] satisfies AppRoutes
