// The registers (台账) drawn from the policy pack: a register's list, a new record, one record.
// The layout adds a menu entry per register the person may see.
import type { AppRoutes } from './types'

export default [
  { path: '/registers/:id', name: 'register', component: () => import('@/views/registers/RegisterList.vue'), meta: { title: 'registers.title' } },
  { path: '/registers/:id/new', name: 'register-new', component: () => import('@/views/registers/RegisterRecord.vue'), meta: { title: 'registers.new_title' } },
  { path: '/registers/:id/:record(\\d+)', name: 'register-record', component: () => import('@/views/registers/RegisterRecord.vue'), meta: { title: 'registers.record_title' } },
] satisfies AppRoutes
