// A register's statuses (the pack's, or the default open / closed) and their tag colours:
// the first (the record is being worked on) blue, those between orange, the last (done) grey.
import { i18n } from '@/i18n'
import type { Label, PackRegister } from '@/api/types'

export function registerStatuses(reg: PackRegister): { id: string; label: Label | string }[] {
  if (reg.statuses?.length) return reg.statuses
  const t = i18n.global.t
  return [
    { id: 'open', label: t('registers.status_open') },
    { id: 'closed', label: t('registers.status_closed') },
  ]
}

export function statusTagType(reg: PackRegister, status: string): 'primary' | 'warning' | 'info' | 'danger' {
  const all = registerStatuses(reg)
  const i = all.findIndex((s) => s.id === status)
  if (i < 0) return 'danger'
  if (i === 0) return 'primary'
  if (i === all.length - 1) return 'info'
  return 'warning'
}
