// Five-field schedules (minute hour day month weekday) read the way isms reads them
// (src/core/cron.c: *, lists, ranges, steps, the @daily … shorthands, Sunday as 0 or 7, and
// either day field matching when both are restricted), for hints while typing: the next
// runs (in the organization's time zone, shown in the browser's) and a sentence for the common shapes. The server stays the
// judge: it answers a schedule it does not take with a field error.
import { ref, type Ref } from 'vue'
import { calendarApi } from '@/api/time'
import { i18n } from '@/i18n'

export interface Cron {
  minutes: Set<number>
  hours: Set<number>
  mdays: Set<number>
  months: Set<number>
  wdays: Set<number>
  mdayAny: boolean
  wdayAny: boolean
  /** The fields as written (after the shorthands). */
  fields: string[]
}

const MACROS: Record<string, string> = {
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@weekly': '0 0 * * 0', '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@hourly': '0 * * * *',
}
const SPEC: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 6]]

function field(s: string, lo: number, hi: number): Set<number> | null {
  const out = new Set<number>()
  for (const part of s.split(',')) {
    const m = part.match(/^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/)
    if (!m) return null
    let a = lo
    let b = hi
    if (m[1] !== '*') {
      a = Number(m[2])
      b = m[3] !== undefined ? Number(m[3]) : a
    }
    const step = m[4] !== undefined ? Number(m[4]) : 1
    if (m[4] !== undefined && m[1] !== '*' && m[3] === undefined) b = hi
    if (step < 1 || a < lo || b > hi + (hi === 6 ? 1 : 0) || a > b) return null
    for (let v = a; v <= b; v += step) out.add(v === 7 && hi === 6 ? 0 : v)
  }
  return out.size ? out : null
}

/** The schedule, or null when it is not one. */
export function parseCron(text: string): Cron | null {
  let s = text.trim()
  if (MACROS[s]) s = MACROS[s]
  if (!s || s.length > 200) return null
  const f = s.split(/[ \t]+/)
  if (f.length !== 5) return null
  const sets = f.map((x, i) => field(x, SPEC[i][0], SPEC[i][1]))
  if (sets.some((x) => !x)) return null
  return {
    minutes: sets[0]!, hours: sets[1]!, mdays: sets[2]!, months: sets[3]!, wdays: sets[4]!,
    mdayAny: f[2] === '*', wdayAny: f[4] === '*', fields: f,
  }
}

function dayMatches(c: Cron, d: Date): boolean {
  if (!c.months.has(d.getUTCMonth() + 1)) return false
  const md = c.mdays.has(d.getUTCDate())
  const w = c.wdays.has(d.getUTCDay())
  return c.mdayAny || c.wdayAny ? md && w : md || w
}

/**
 * The next `n` runs strictly after `from`, with the schedule read in the local time
 * `offset` minutes east of UTC (the organization's, see useOrgOffset; the browser's when
 * not given), within ten years.
 */
export function nextRuns(c: Cron, from = new Date(), n = 1, offset?: number | null): Date[] {
  const off = (offset ?? -from.getTimezoneOffset()) * 60000
  const out: Date[] = []
  const local = new Date(from.getTime() + off)
  const day = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()))
  const hours = [...c.hours].sort((a, b) => a - b)
  const minutes = [...c.minutes].sort((a, b) => a - b)
  for (let i = 0; i < 3660 && out.length < n; i++) {
    if (dayMatches(c, day)) {
      for (const h of hours) {
        for (const m of minutes) {
          const at = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), h, m) - off
          if (at > from.getTime() && out.length < n) out.push(new Date(at))
        }
      }
    }
    day.setUTCDate(day.getUTCDate() + 1)
  }
  return out
}

const orgOffset = ref<number | null>(null)
let asked = false
/** The organization's UTC offset in minutes (from its calendar), null until known. The
 *  schedules of isms run in that time; a failed read leaves the hints in the browser's. */
export function useOrgOffset(): Ref<number | null> {
  if (!asked) {
    asked = true
    calendarApi
      .get()
      .then((c) => {
        const m = c.utc_offset.match(/^([+-])(\d{2}):?(\d{2})$/)
        if (m) orgOffset.value = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]))
      })
      .catch(() => {
        asked = false /* only a hint: it stays in the browser's time, asked again next time */
      })
  }
  return orgOffset
}

function pad(n: number) {
  return n < 10 ? '0' + n : String(n)
}

/** "每天 02:30", "每周五 09:00", "每月 28 日 09:00" for the common shapes, else ''. */
export function describeCron(c: Cron): string {
  const t = i18n.global.t
  const [mi, ho, dom, mon, dow] = c.fields
  if (!/^\d+$/.test(mi) || mon !== '*') return ''
  if (ho === '*') return c.mdayAny && c.wdayAny ? t('backup.cron.hourly', { m: pad(Number(mi)) }) : ''
  if (!/^\d+(,\d+)*$/.test(ho)) return ''
  const at = [...c.hours].sort((a, b) => a - b).map((h) => `${pad(h)}:${pad(Number(mi))}`).join(t('backup.cron.and'))
  if (c.mdayAny && c.wdayAny) return t('backup.cron.daily', { at })
  if (c.mdayAny && /^[\d,-]+$/.test(dow)) {
    const days = [...c.wdays].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7)).map((d) => t('backup.cron.wd' + d)).join(t('backup.cron.list_sep'))
    return t('backup.cron.weekly', { days, at })
  }
  if (c.wdayAny && /^[\d,-]+$/.test(dom)) {
    const days = [...c.mdays].sort((a, b) => a - b).join(t('backup.cron.list_sep'))
    return t('backup.cron.monthly', { days, at })
  }
  return ''
}
