// The audit administrator's screens: the audit trail with its proofs, the verification of
// the whole trail with the signed checkpoint, and the notification deliveries.
import type { AppRoutes } from './types'

export default [
  { path: '/audit', name: 'audit', component: () => import('@/views/audit/AuditView.vue'), meta: { title: 'audit.nav.log', perm: 'audit.read', menu: { group: 'audit', order: 10 } } },
  { path: '/audit/verify', name: 'audit-verify', component: () => import('@/views/audit/VerifyView.vue'), meta: { title: 'audit.nav.verify', perm: 'audit.verify', menu: { group: 'audit', order: 20 } } },
  { path: '/audit/deliveries', name: 'audit-deliveries', component: () => import('@/views/admin/DeliveriesView.vue'), meta: { title: 'admin.nav.deliveries', perm: ['deliveries.read', 'audit.read'], menu: { group: 'audit', order: 30 } } },
] satisfies AppRoutes
