// Helpers around forms shared by every screen that fills one in. First the one way the
// server's refusal of an input reaches the form: `{"error":{"code":"invalid","field":"name",
// "reason":"too_long","message":…}}` becomes the message under the form item the field names
// (el-form-item :error), for the pack's forms (FormFields) and the screens' own forms and
// dialogs alike (useFieldErrors, useEditDialog). Then the pack's forms: a blank record with
// the right empty values, the values worth sending, the required fields still empty, and the
// names of files uploaded in this session (the record keeps only the SHA-256).
import { reactive } from 'vue'
import { i18n } from '@/i18n'
import { ApiError } from '@/api'
import type { FileInfo, PackField, PackForm } from '@/api/types'

/** The reasons the server gives for refusing a field, each with its sentence (forms.reason). */
const REASONS = ['required', 'too_long', 'wrong_type', 'not_in_list', 'out_of_range', 'bad_format']

/** The words under a refused field: the reason's own sentence when the server names one (else
 *  its message), and what is allowed (`detail`) after it. */
export function fieldMessage(e: ApiError): string {
  const t = i18n.global.t
  const head = e.reason && REASONS.includes(e.reason) ? t('forms.reason.' + e.reason) : e.message
  return e.detail ? t('forms.with_detail', { message: head, detail: e.detail }) : head
}

/** The words of a refusal for the top of a form or a message: the message, and what is
 *  allowed (`detail`) after it. */
export function errorText(e: unknown): string {
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : String(e)
  return e.detail ? i18n.global.t('forms.with_detail', { message: e.message, detail: e.detail }) : e.message
}

/** The form item a field path of the API names: `data.temperature` → `temperature`,
 *  `attachments[0]` → `attachments`, `keep.daily` → `keep`. */
export function fieldKey(path: string): string {
  const id = path.startsWith('data.') ? path.slice(5) : path
  return id.split(/[.[]/)[0]
}

/** Turns an API field path into the key of a form item; null: the form has no item for it. */
export type FieldMap = (path: string, e: ApiError) => string | null | undefined

/** The server's error as `{key: message}` for the form items' :error, `{}` when it names no
 *  field (or none that `map` knows). */
export function fieldErrors(e: unknown, map?: FieldMap): Record<string, string> {
  if (!(e instanceof ApiError) || !e.field) return {}
  const key = map ? map(e.field, e) : fieldKey(e.field)
  if (!key) return {}
  return { [key]: fieldMessage(e) }
}

/** The messages under a form's items, filled from the server's refusals and the screen's own
 *  checks. `known` lists the keys the form has (or maps API paths to them): `take(e)` puts a
 *  refusal on its item and says whether it did; anything else is the caller's to show. */
export function useFieldErrors(known?: readonly string[] | FieldMap) {
  const errors = reactive<Record<string, string>>({})
  const map: FieldMap =
    typeof known === 'function'
      ? known
      : (path) => {
          const key = fieldKey(path)
          return !known || known.includes(key) ? key : null
        }
  function clear() {
    for (const k of Object.keys(errors)) delete errors[k]
  }
  function set(key: string, message: string) {
    errors[key] = message
  }
  function take(e: unknown): boolean {
    const found = fieldErrors(e, map)
    Object.assign(errors, found)
    return Object.keys(found).length > 0
  }
  return { errors, clear, set, take }
}

/** The values of one of the pack's forms by field id: what each holds (text, a number, ids,
 *  a SHA-256, lists of them) the pack's field says at run time, not a static type. */
export type FormValues = Record<string, unknown>

/** True when a value counts as not filled in. */
export function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)
}

/** A new record's data: switches off, multiple selects empty, the rest absent. */
export function blankData(form: PackForm): FormValues {
  const out: FormValues = {}
  for (const f of form.fields) {
    if (f.type === 'bool') out[f.id] = false
    else if (f.multiple) out[f.id] = []
  }
  return out
}

/** The data to send for a new record: only the form's fields, without empty values. */
export function cleanData(form: PackForm, data: FormValues): FormValues {
  const out: FormValues = {}
  for (const f of form.fields) if (!isEmpty(data[f.id])) out[f.id] = data[f.id]
  return out
}

/** The change to send for an existing record: changed fields, `null` for those emptied. */
export function changedData(form: PackForm, before: FormValues, after: FormValues): FormValues {
  const out: FormValues = {}
  for (const f of form.fields) {
    const a = isEmpty(after[f.id]) ? null : after[f.id]
    const b = isEmpty(before[f.id]) ? null : before[f.id]
    if (JSON.stringify(a) !== JSON.stringify(b)) out[f.id] = a
  }
  return out
}

/** The required fields (of `only`, when given) still empty, as `errors` for FormFields. */
export function requiredErrors(form: PackForm, data: FormValues, only?: string[]): Record<string, string> {
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
