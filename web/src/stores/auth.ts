// Who is logged in, with which roles, and which gate (password change, 2FA enrolment)
// stands before the rest of the interface.
import { defineStore } from 'pinia'
import { hasCsrf, setCsrf } from '@/api'
import { meApi } from '@/api/me'
import type { Me, RoleName, User } from '@/api/types'

export const ADMIN_ROLES: RoleName[] = ['sys_admin', 'security_admin', 'audit_admin']

export const useAuth = defineStore('auth', {
  state: () => ({
    me: null as Me | null,
    loaded: false,
  }),
  getters: {
    user: (s): User | null => s.me?.user ?? null,
    roles: (s): RoleName[] => s.me?.user.roles ?? [],
    /** The permissions held anywhere, and those held only in one's own department. */
    permissions: (s): Set<string> => new Set(s.me?.permissions ?? []),
    departmentPermissions: (s): Set<string> => new Set(s.me?.department_permissions ?? []),
    gate: (s): 'password' | 'totp' | null =>
      s.me?.must_change_password ? 'password' : s.me?.totp_enrollment_required ? 'totp' : null,
  },
  actions: {
    has(...roles: RoleName[]): boolean {
      return roles.some((r) => this.roles.includes(r))
    },
    /** May the person do this (every permission given)? The server checks again. */
    can(...perms: string[]): boolean {
      return perms.every((p) => this.permissions.has(p) || this.departmentPermissions.has(p))
    },
    /** A route's meta: its permissions held, and not the one that places it elsewhere. */
    opens(meta: { perm?: string | string[]; unless?: string } | undefined): boolean {
      if (!meta) return true
      const perms = meta.perm === undefined ? [] : Array.isArray(meta.perm) ? meta.perm : [meta.perm]
      return this.can(...perms) && !(meta.unless && this.can(meta.unless))
    },
    /** Loads the session, if any; never throws. */
    async load(): Promise<Me | null> {
      if (!hasCsrf()) {
        // Never logged in from this browser (or logged out): no request, no 401 to log.
        this.me = null
        this.loaded = true
        return null
      }
      try {
        this.me = await meApi.get()
      } catch {
        this.me = null
      }
      this.loaded = true
      return this.me
    },
    async login(username: string, password: string, otp?: string) {
      const r = await meApi.login(otp ? { username, password, otp } : { username, password })
      setCsrf(r.csrf)
      // GET /me says what the person may do (the login answer does not).
      try {
        this.me = await meApi.get()
      } catch {
        this.me = { user: r.user, must_change_password: r.must_change_password, totp_enrollment_required: r.totp_enrollment_required, via_token: false, permissions: [], department_permissions: [] }
      }
      this.loaded = true
      return this.me
    },
    async logout() {
      try {
        await meApi.logout()
      } catch {
        /* the session may be gone already */
      }
      this.forget()
    },
    forget() {
      setCsrf(null)
      this.me = null
    },
  },
})
