// Requests (申请 → 审批 → 执行 → 登记): filing, the own requests, one request, and the
// approval inbox.
import type { AppRoutes } from './types'

export default [
  { path: '/inbox', name: 'inbox', component: () => import('@/views/requests/InboxView.vue'), meta: { title: 'requests.nav.inbox', menu: { group: 'work', order: 10 } } },
  { path: '/requests/new', name: 'request-new', component: () => import('@/views/requests/RequestNew.vue'), meta: { title: 'requests.nav.new', menu: { group: 'work', order: 15 } } },
  { path: '/requests/new/:type', name: 'request-new-type', component: () => import('@/views/requests/RequestNew.vue'), meta: { title: 'requests.nav.fill' } },
  { path: '/requests', name: 'requests', component: () => import('@/views/requests/RequestList.vue'), meta: { title: 'requests.nav.mine', menu: { group: 'work', order: 20 } } },
  { path: '/requests/:id(\\d+)', name: 'request', component: () => import('@/views/requests/RequestDetail.vue'), meta: { title: 'requests.nav.detail' } },
] satisfies AppRoutes
