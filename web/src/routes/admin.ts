// The screens of the system and security administrators (三员分立): accounts, departments,
// the working-day calendar; the security policy, notification channels and deliveries, the
// monthly account review. Each route opens for the permissions the server asks there.
import type { AppRoutes } from './types'

const Users = () => import('@/views/admin/UsersView.vue')
const Deliveries = () => import('@/views/admin/DeliveriesView.vue')
const Calendar = () => import('@/views/admin/CalendarView.vue')

export default [
  // system administrator
  { path: '/admin/users', name: 'admin-users', component: Users, meta: { title: 'admin.nav.users', perm: 'users.manage', menu: { group: 'admin', order: 10 } } },
  { path: '/admin/departments', name: 'admin-departments', component: () => import('@/views/admin/DepartmentsView.vue'), meta: { title: 'admin.nav.departments', perm: 'departments.manage', menu: { group: 'admin', order: 20 } } },
  { path: '/admin/calendar', name: 'admin-calendar', component: Calendar, meta: { title: 'admin.nav.calendar', perm: 'calendar.write', menu: { group: 'admin', order: 30 } } },
  // everyone may read the calendar (no menu entry)
  { path: '/calendar', name: 'calendar', component: Calendar, meta: { title: 'admin.nav.calendar' } },
  // security administrator (the policy is read by the other two as well)
  { path: '/security/accounts', name: 'security-accounts', component: Users, meta: { title: 'admin.nav.accounts', perm: 'users.grant', menu: { group: 'security', order: 10 } } },
  { path: '/security/policy', name: 'security-policy', component: () => import('@/views/admin/PolicyView.vue'), meta: { title: 'admin.nav.policy', perm: 'policy.read', menu: { group: 'security', order: 20 } } },
  { path: '/security/channels', name: 'security-channels', component: () => import('@/views/admin/ChannelsView.vue'), meta: { title: 'admin.nav.channels', perm: 'channels.manage', menu: { group: 'security', order: 30 } } },
  { path: '/security/deliveries', name: 'security-deliveries', component: Deliveries, meta: { title: 'admin.nav.deliveries', perm: 'deliveries.read', unless: 'audit.read', menu: { group: 'security', order: 40 } } },
  { path: '/security/reviews', name: 'security-reviews', component: () => import('@/views/admin/ReviewsView.vue'), meta: { title: 'admin.nav.reviews', perm: 'reviews.start', menu: { group: 'security', order: 50 } } },
  // one review: everyone who may see it (department heads attest their accounts there)
  { path: '/reviews/:id(\\d+)', name: 'review', component: () => import('@/views/admin/ReviewView.vue'), meta: { title: 'admin.nav.review' } },
] satisfies AppRoutes
