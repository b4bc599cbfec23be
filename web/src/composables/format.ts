// Turning API values into words for people: labels in the chosen language, times in the
// browser's zone, user and department names.
import { useI18n } from 'vue-i18n'
import { useMeta } from '@/stores/meta'
import type { Label } from '@/api/types'

export function useFormat() {
  const { locale, t } = useI18n()
  const meta = useMeta()

  function label(l: Label | string | undefined | null): string {
    if (!l) return ''
    if (typeof l === 'string') return l
    return (locale.value === 'en' ? l.en : l['zh-CN']) || l['zh-CN'] || l.en || ''
  }
  function pad(n: number) {
    return n < 10 ? '0' + n : String(n)
  }
  /** "2026-11-21 16:05" in local time, or '' for null. */
  function time(iso: string | null | undefined): string {
    if (!iso) return ''
    const d = new Date(iso)
    if (isNaN(d.getTime())) return iso
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
  }
  function date(iso: string | null | undefined): string {
    return time(iso).slice(0, 10)
  }
  function userName(id: number | null | undefined): string {
    if (id === null || id === undefined) return t('common.system')
    const p = meta.people[id]
    return p ? p.display_name : t('common.unknown_user', { id })
  }
  function deptName(id: number | null | undefined): string {
    if (!id) return ''
    return meta.department(id)?.name ?? `#${id}`
  }
  function role(name: string): string {
    return t('roles.' + name)
  }
  return { label, time, date, userName, deptName, role, locale, t }
}
