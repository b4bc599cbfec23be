// Route metadata: the page title (an i18n key), the permissions that open it (all of them;
// absent = every logged-in person; GET /api/v1/me says which the person holds), and where it
// sits in the side menu.
import type { RouteRecordRaw } from 'vue-router'

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
    perm?: string | string[]
    /** Hidden from whoever holds this permission (the same screen sits elsewhere for them). */
    unless?: string
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
