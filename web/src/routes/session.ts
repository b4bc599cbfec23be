// Login and the steps a first login goes through (password change, 2FA enrolment).
import type { AppRoutes } from './types'

export default [
  { path: '/login', name: 'login', component: () => import('@/views/session/LoginView.vue'), meta: { title: 'login.title', public: true } },
  { path: '/password', name: 'password', component: () => import('@/views/session/PasswordView.vue'), meta: { title: 'password.title', bare: true, gate: true } },
  { path: '/totp', name: 'totp', component: () => import('@/views/session/TotpView.vue'), meta: { title: 'totp.title', bare: true, gate: true } },
  { path: '/forbidden', name: 'forbidden', component: () => import('@/views/Forbidden.vue'), meta: { title: 'nav.forbidden' } },
] satisfies AppRoutes
