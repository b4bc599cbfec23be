// Backups: the platform's own (the system administrator runs and configures them; the audit
// administrator and assessors read them under their audit menu, so that no administration
// menu appears for them) and the backup jobs of the organization's systems, which IT staff
// report on and everyone responsible watches.
import type { AppRoutes } from './types'

const Own = () => import('@/views/backup/BackupsView.vue')

export default [
  { path: '/admin/backups', name: 'admin-backups', component: Own, meta: { title: 'backup.nav.own', perm: 'backup.run', menu: { group: 'admin', order: 40 } } },
  { path: '/audit/backups', name: 'audit-backups', component: Own, meta: { title: 'backup.nav.own', perm: 'backup.read', unless: 'backup.run', menu: { group: 'audit', order: 40 } } },
  {
    path: '/backup-jobs',
    name: 'backup-jobs',
    component: () => import('@/views/backup/JobsView.vue'),
    meta: { title: 'backup.nav.jobs', perm: 'backup_jobs.read', menu: { group: 'work', order: 50 } },
  },
] satisfies AppRoutes
