// Words and small helpers shared by the request screens: status colours, who approves a
// step, when a conditional step applies, a one-line summary of a request's data, and the
// data-request-id attribute on el-table rows.
import type { PackField, PackForm, PackRequestType, PackStep, RequestStatus, RoleName } from '@/api/types'
import type { useFormat } from '@/composables/format'
import type { FormValues } from '@/components/formErrors'
import type { useMeta } from '@/stores/meta'

type Fmt = ReturnType<typeof useFormat>
type Meta = ReturnType<typeof useMeta>
type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

export const STATUSES: RequestStatus[] = ['pending', 'returned', 'approved', 'completed', 'rejected', 'withdrawn']

export function statusType(s: string): TagType {
  switch (s) {
    case 'pending':
      return 'primary'
    case 'returned':
      return 'warning'
    case 'approved':
    case 'completed':
      return 'success'
    case 'rejected':
      return 'danger'
    default:
      return 'info'
  }
}

export function deadlineType(s: string): TagType {
  switch (s) {
    case 'overdue':
    case 'breached':
      return 'danger'
    case 'met':
      return 'success'
    case 'paused':
      return 'info'
    default:
      return 'warning'
  }
}

/** May the person file this type (no `applicants`, or one of their roles)? */
export function mayFile(q: PackRequestType, roles: RoleName[]): boolean {
  return !q.applicants || q.applicants.length === 0 || q.applicants.some((r) => roles.includes(r))
}

function fieldOf(form: PackForm | undefined, id: string): PackField | undefined {
  return form?.fields.find((f) => f.id === id)
}

/** Who acts on a step, in words: 部门负责人, a role title, 指定人员. */
export function approverWords(step: { approver: string }, form: PackForm | undefined, f: Fmt): string {
  const a = step.approver
  if (a === 'department_head') return f.t('requests.approver.department_head')
  if (a.startsWith('department_head:')) {
    const fl = fieldOf(form, a.slice(16))
    return fl ? f.t('requests.approver.department_head_of', { field: f.label(fl.label) }) : f.t('requests.approver.department_head')
  }
  if (a.startsWith('role:')) return f.role(a.slice(5))
  if (a.startsWith('user:')) {
    const fl = fieldOf(form, a.slice(5))
    return fl ? f.t('requests.approver.user_of', { field: f.label(fl.label) }) : f.t('requests.approver.user')
  }
  return a
}

/** When a conditional step applies, in words; '' for an unconditional one. */
export function whenWords(step: PackStep, form: PackForm | undefined, f: Fmt): string {
  const w = step.when as { field?: string; equals?: unknown; includes?: string; true?: boolean } | undefined
  if (!w || !w.field) return ''
  const fl = fieldOf(form, w.field)
  const field = fl ? f.label(fl.label) : w.field
  const valueWords = (v: unknown) => {
    const hit = fl?.values?.find((x) => x.id === v)
    if (hit) return f.label(hit.label)
    if (typeof v === 'boolean') return f.t(v ? 'common.yes' : 'common.no')
    return String(v)
  }
  if ('includes' in w) return f.t('requests.when.includes', { field, value: valueWords(w.includes) })
  if ('equals' in w) return f.t('requests.when.equals', { field, value: valueWords(w.equals) })
  if (w.true) return f.t('requests.when.true', { field })
  return f.t('requests.when.other')
}

/**
 * el-form rules for the required fields, with our own words: FormFields marks items
 * `required` with a `prop`, and without a rule carrying a message Element Plus would show
 * its own English "x is required" on blur.
 */
export function requiredRules(form: PackForm | undefined, message: string): Record<string, { required: boolean; message: string; trigger: string[] }[]> {
  const out: Record<string, { required: boolean; message: string; trigger: string[] }[]> = {}
  for (const fl of form?.fields ?? []) if (fl.required && fl.type !== 'bool') out[fl.id] = [{ required: true, message, trigger: ['blur', 'change'] }]
  return out
}

/** A form value as plain text (tables, summaries). */
export function valueText(field: PackField | undefined, v: unknown, f: Fmt): string {
  if (v === null || v === undefined || v === '') return ''
  if (Array.isArray(v)) return v.map((x) => valueText(field, x, f)).filter(Boolean).join(f.t('requests.sep'))
  if (!field) return typeof v === 'object' ? JSON.stringify(v) : String(v)
  switch (field.type) {
    case 'enum': {
      const hit = field.values?.find((x) => x.id === v)
      return hit ? f.label(hit.label) : String(v)
    }
    case 'user':
      return f.userName(Number(v))
    case 'department':
      return f.deptName(Number(v))
    case 'bool':
      return f.t(v ? 'common.yes' : 'common.no')
    case 'date':
      return String(v).slice(0, 10)
    case 'datetime':
      return f.time(String(v))
    case 'number':
      return field.unit ? `${v} ${field.unit}` : String(v)
    case 'file':
      return typeof v === 'object' && v && 'name' in v ? String(v.name) : f.t('requests.attachments')
    default:
      return String(v)
  }
}

/** The first few filled-in values of a request's data, for lists. */
export function summary(type: string, data: FormValues, meta: Meta, f: Fmt, n = 3): string {
  const q = meta.requestType(type)
  const form = q ? meta.forms[q.form] : undefined
  const parts: string[] = []
  if (form) {
    for (const fl of form.fields) {
      if (parts.length >= n) break
      if (fl.type === 'file' || (fl.type === 'text' && fl.multiline && parts.length > 0)) continue
      const s = valueText(fl, data[fl.id], f)
      if (s) parts.push(s)
    }
  } else {
    for (const v of Object.values(data)) {
      if (parts.length >= n) break
      if (v !== null && typeof v !== 'object') parts.push(String(v))
    }
  }
  return parts.join(' · ')
}

export { rowIdClass as rowClass, vRowIds } from '@/components/rowIds'
