// Route metadata: the page title (an i18n key), the roles that may open it (any one of
// them; absent = every logged-in person), and where it sits in the side menu.
import type { RouteRecordRaw } from 'vue-router'
import type { RoleName } from '@/api/types'

export type MenuGroup = 'work' | 'registers' | 'admin' | 'security' | 'audit' | 'account'

export interface MenuMeta {
  group: MenuGroup
  order: number
  /** An Element Plus icon name from @element-plus/icons-vue. */
  icon?: string
}

declare module 'vue-router' {
  interface RouteMeta {
    title?: string
    roles?: RoleName[]
    /** Reachable without a session (the login page). */
    public?: boolean
    /** Reachable while the password must be changed or 2FA enrolled. */
    gate?: boolean
    menu?: MenuMeta
    /** No side menu or header (login and its steps). */
    bare?: boolean
  }
}

export type AppRoutes = RouteRecordRaw[]
