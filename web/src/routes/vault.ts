// The credential vault (密码保管库): under the security menu for the IT staff and the three
// administrators (the audit administrator reads its entries and the record of reveals).
import type { AppRoutes } from './types'

export default [
  {
    path: '/security/vault',
    name: 'vault',
    component: () => import('@/views/vault/VaultView.vue'),
    meta: { title: 'vault.nav.vault', perm: 'vault.read', menu: { group: 'security', order: 60 } },
  },
  {
    path: '/security/vault/reveals',
    name: 'vault-reveals',
    component: () => import('@/views/vault/RevealsView.vue'),
    meta: { title: 'vault.nav.reveals', perm: 'vault.reveals.read' },
  },
] satisfies AppRoutes
