// Helpers around the pack's forms shared by every screen that fills one in (registers,
// requests): the server's field error put on the right form item, a blank record with the
// right empty values, the values worth sending, the required fields still empty, and the
// names of files uploaded in this session (the record keeps only the SHA-256).
import { i18n } from '@/i18n'
import type { ApiError } from '@/api'
import type { PackField, PackForm } from '@/api/types'

/** The server's error as `{fieldId: message}` for `errors` of FormFields
 *  (`field` is `data.X` or `X`); `{}` when it names no field. */
export function fieldErrors(e: ApiError | unknown): Record<string, string> {
  const err = e as ApiError
  if (!err || !err.field) return {}
  const id = err.field.startsWith('data.') ? err.field.slice(5) : err.field
  const key = id.split(/[.[]/)[0]
  if (!key) return {}
  return { [key]: err.message + (err.detail ? '：' + err.detail : '') }
}

/** True when a value counts as not filled in. */
export function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)
}

/** A new record's data: switches off, multiple selects empty, the rest absent. */
export function blankData(form: PackForm): Record<string, any> {
  const out: Record<string, any> = {}
  for (const f of form.fields) {
    if (f.type === 'bool') out[f.id] = false
    else if (f.multiple) out[f.id] = []
  }
  return out
}

/** The data to send for a new record: only the form's fields, without empty values. */
export function cleanData(form: PackForm, data: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {}
  for (const f of form.fields) if (!isEmpty(data[f.id])) out[f.id] = data[f.id]
  return out
}

/** The change to send for an existing record: changed fields, `null` for those emptied. */
export function changedData(form: PackForm, before: Record<string, any>, after: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {}
  for (const f of form.fields) {
    const a = isEmpty(after[f.id]) ? null : after[f.id]
    const b = isEmpty(before[f.id]) ? null : before[f.id]
    if (JSON.stringify(a) !== JSON.stringify(b)) out[f.id] = a
  }
  return out
}

/** The required fields (of `only`, when given) still empty, as `errors` for FormFields. */
export function requiredErrors(form: PackForm, data: Record<string, any>, only?: string[]): Record<string, string> {
  const t = i18n.global.t
  const out: Record<string, string> = {}
  for (const f of form.fields) {
    if (only && !only.includes(f.id)) continue
    if (f.required && f.type !== 'bool' && isEmpty(data[f.id])) out[f.id] = t('forms.required')
  }
  return out
}

/** True when a number lies outside its field's normal range (超出正常范围). */
export function outsideNormal(field: PackField, v: unknown): boolean {
  if (field.type !== 'number' || !field.normal || typeof v !== 'number') return false
  const n = field.normal
  return (n.min !== undefined && v < n.min) || (n.max !== undefined && v > n.max)
}

/** "13–23 °C", "≥ 13 %": a field's normal range in words. */
export function normalRange(field: PackField): string {
  const n = field.normal
  if (!n) return ''
  const u = field.unit ? ' ' + field.unit : ''
  if (n.min !== undefined && n.max !== undefined) return `${n.min}–${n.max}${u}`
  if (n.min !== undefined) return `≥ ${n.min}${u}`
  if (n.max !== undefined) return `≤ ${n.max}${u}`
  return ''
}

export interface FileInfo {
  sha256: string
  size: number
  content_type: string
  name: string
}
const files = new Map<string, FileInfo>()
/** Remembers an uploaded file's name and size for showing it later in this session. */
export function rememberFile(f: FileInfo) {
  files.set(f.sha256, f)
}
export function knownFile(sha256: string): FileInfo | undefined {
  return files.get(sha256)
}

/** "1.2 MB" */
export function fileSize(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

/** UTC RFC 3339 without fractions, as the API takes datetimes. */
export function toUtc(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z')
}
