// The routes of every area (routes/*.ts, one module per area) under one router, with the
// guard that sends people to log in, through the password and 2FA gates, and away from
// screens their permissions do not open.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useAuth } from '@/stores/auth'
import { i18n } from '@/i18n'
import type { AppRoutes } from '@/routes/types'

const modules = import.meta.glob<{ default: AppRoutes }>('./routes/*.ts', { eager: true })
const routes: RouteRecordRaw[] = []
for (const [name, m] of Object.entries(modules)) if (!name.endsWith('types.ts')) routes.push(...m.default)
routes.push({
  path: '/:pathMatch(.*)*',
  name: 'not-found',
  component: () => import('@/views/NotFound.vue'),
  meta: { title: 'nav.not_found' },
})

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

router.beforeEach(async (to) => {
  const auth = useAuth()
  if (!auth.loaded) await auth.load()
  if (to.meta.public) return true
  if (!auth.me) return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  const gate = auth.gate
  if (gate === 'password' && to.name !== 'password') return { name: 'password' }
  if (gate === 'totp' && to.name !== 'totp' && to.name !== 'password') return { name: 'totp' }
  if (!auth.opens(to.meta)) return { name: 'forbidden' }
  return true
})

router.afterEach((to) => {
  const t = i18n.global.t
  document.title = (to.meta.title ? t(to.meta.title) + ' · ' : '') + t('app.short')
})
