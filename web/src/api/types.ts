// Shapes of the JSON API (docs/openapi.yaml).
export type Label = { 'zh-CN': string; en: string }
export type RoleName =
  | 'sys_admin' | 'security_admin' | 'audit_admin' | 'it_staff' | 'leader' | 'general_manager' | 'finance_head' | 'assessor'

export interface User {
  id: number
  username: string
  display_name: string
  department_id: number | null
  email: string | null
  roles: RoleName[]
  disabled: boolean
  must_change_password: boolean
  totp_enabled: boolean
  created_at: string
  password_changed_at: string
  last_login_at: string | null
  locale?: 'zh-CN' | 'en'
  version: number
  locked?: boolean
  locked_until?: string | null
}
export interface Me {
  user: User
  must_change_password: boolean
  totp_enrollment_required: boolean
  via_token: boolean
}
export interface Department {
  id: number
  name: string
  parent_id: number | null
  head_user_id: number | null
  created_at: string
  version: number
}
export interface Role {
  name: RoleName
  administrator: boolean
  title_zh: string
  title_en: string
}
export interface Person {
  id: number
  username: string
  display_name: string
  department_id: number | null
  disabled?: boolean
}
export interface PackField {
  id: string
  type: 'text' | 'number' | 'date' | 'datetime' | 'enum' | 'user' | 'department' | 'asset' | 'file' | 'bool'
  label: Label
  help?: Label
  required?: boolean
  multiple?: boolean
  integer?: boolean
  min?: number
  max?: number
  normal?: { min?: number; max?: number }
  unit?: string
  values?: { id: string; label: Label }[]
  max_length?: number
  multiline?: boolean
  placeholder?: Label
}
export interface PackForm {
  id: string
  label: Label
  description?: Label
  help?: Label
  source?: string
  fields: PackField[]
}
export interface PackRegister {
  id: string
  label: Label
  description?: Label
  help?: Label
  source?: string
  form: string
  writers?: RoleName[]
  readers?: RoleName[]
  columns?: string[]
  statuses?: { id: string; label: Label }[]
  owner_field?: string
  department_field?: string
}
export interface PackStep {
  id: string
  label: Label
  help?: Label
  kind?: 'approve' | 'execute'
  approver: string
  when?: Record<string, unknown>
}
export interface PackRequestType {
  id: string
  label: Label
  description?: Label
  help?: Label
  source?: string
  category?: string
  form: string
  action?: string
  applicants?: RoleName[]
  steps: PackStep[]
}
export interface RecordRow {
  id: number
  type: string
  status: string
  department_id: number | null
  owner_id: number | null
  request_id: number | null
  data: Record<string, any>
  flags: string[]
  created_at: string
  created_by: number | null
  updated_at: string
  updated_by: number | null
  version: number
}
export type RequestStatus = 'pending' | 'returned' | 'approved' | 'completed' | 'rejected' | 'withdrawn'
export interface RequestSummary {
  id: number
  type: string
  status: RequestStatus
  applicant_id: number
  department_id: number | null
  data: Record<string, any>
  result?: Record<string, any>
  created_at: string
  updated_at: string
  closed_at: string | null
  version: number
}
export interface InboxItem extends RequestSummary {
  step: string
  step_kind: 'approve' | 'execute'
}
export interface RequestStep {
  seq: number
  id: string
  label: string
  kind: 'approve' | 'execute'
  approver: string
  status: 'pending' | 'waiting' | 'skipped' | 'approved' | 'rejected' | 'returned'
  assignees: number[]
  acted_by: number | null
  acted_at: string | null
  comment: string | null
  current?: boolean
}
export interface RequestEvent {
  seq: number
  action: 'file' | 'approve' | 'reject' | 'return' | 'withdraw' | 'resubmit'
  user_id: number | null
  comment: string | null
  attachments: string[]
  at: string
}
export interface RequestFull extends RequestSummary {
  label: string
  steps: RequestStep[]
  events: RequestEvent[]
  secret?: { username: string; initial_password: string }
}
export interface Notification {
  id: number
  kind: string
  params: Record<string, any>
  subject?: string
  body?: string
  created_at: string
  read_at: string | null
}
export interface Deadline {
  id: number
  rule: string
  label: Label
  source: string
  subject: { kind: 'record' | 'request'; id: number; type: string }
  record_id: number | null
  request_id: number | null
  /** The department of its subject (record or request), if any. */
  department_id: number | null
  status: 'due' | 'overdue' | 'paused' | 'met' | 'breached'
  state: 'running' | 'paused' | 'met' | 'breached'
  started_at: string
  due_at: string
  paused_at: string | null
  paused_by: 'status' | 'manual' | null
  pause_note: string | null
  stopped_at: string | null
  level: number
  next_at: string | null
  version: number
}
export interface Task {
  id: number
  duty: string
  label: Label
  source: string
  register: string
  occurs_at: string
  due_at: string
  owner_id: number | null
  status: 'open' | 'done' | 'missed'
  record_id: number | null
  done_at: string | null
  done_by: number | null
  version: number
}
export interface AuditEntry {
  seq: number
  time: string
  actor: string
  actor_id: number
  source: string
  action: string
  object: string | null
  outcome: 'success' | 'failure' | 'denied'
  before?: Record<string, any>
  after?: Record<string, any>
  detail?: Record<string, any>
  damaged?: boolean
}
export interface ImportReport {
  rows: number
  valid: number
  invalid_rows: number
  errors: { row: number; column: string; field?: string; message: string }[]
  created: number
  dry_run: boolean
}
export interface Page<T> {
  items: T[]
  next: string | null
}
