// The one way the screens talk to isms: JSON over /api/v1 with the session cookie, the
// CSRF token on unsafe methods, Accept-Language following the chosen language, and the
// documented error format turned into ApiError. The screens call it through the typed
// functions of client.ts and the modules beside it, never with a path of their own.
import type { Schemas } from './client'
import type { ImportReport } from './types'

/** The error of an answer (docs/openapi.yaml "Error"), with the reason a field is refused. */
type ErrorBody = Partial<Schemas['Error']['error']> & { reason?: string }

export class ApiError extends Error {
  status: number
  code: string
  field?: string
  /** Why the field is refused (required, too_long, wrong_type, not_in_list, out_of_range,
   *  bad_format), when the server names it. */
  reason?: string
  detail?: string
  requestId?: string
  unlockAt?: string | null
  report?: ImportReport
  constructor(status: number, body: unknown) {
    const e: ErrorBody = (body as { error?: ErrorBody } | null)?.error ?? {}
    super(e.message || `HTTP ${status}`)
    this.status = status
    this.code = e.code || 'internal'
    this.field = e.field
    this.reason = e.reason
    this.detail = e.detail
    this.requestId = e.request_id
    this.unlockAt = e.unlock_at
    this.report = e.report
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>

const CSRF_KEY = 'isms.csrf'
let lang = 'zh-CN'
let onAuthLost: ((code: string) => void) | null = null

export function setApiLanguage(l: string) {
  lang = l
}
export function setCsrf(token: string | null) {
  if (token) localStorage.setItem(CSRF_KEY, token)
  else localStorage.removeItem(CSRF_KEY)
}
/** Whether this browser holds the token of a login (if not, there is no session to ask about). */
export function hasCsrf(): boolean {
  return !!localStorage.getItem(CSRF_KEY)
}
/** Called when the server says the session is gone, or a gate (password, 2FA) applies. */
export function onAuthProblem(fn: (code: string) => void) {
  onAuthLost = fn
}

export function buildUrl(path: string, q?: Query): string {
  const u = new URL('/api/v1' + path, window.location.origin)
  if (q)
    for (const [k, v] of Object.entries(q))
      if (v !== undefined && v !== null && v !== '') u.searchParams.set(k, String(v))
  return u.pathname + u.search
}

const AUTH_CODES = ['unauthenticated', 'session_expired', 'password_change_required', 'totp_enrollment_required']

/** One call of the API; the typed functions of client.ts are the way the screens use it. */
export async function send<T>(method: string, path: string, body?: unknown, q?: Query, raw?: Blob | File): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': lang }
  if (method !== 'GET') {
    const t = localStorage.getItem(CSRF_KEY)
    if (t) headers['X-CSRF-Token'] = t
  }
  let payload: BodyInit | undefined
  if (raw) {
    payload = raw
    headers['Content-Type'] = raw.type || 'application/octet-stream'
  } else if (body !== undefined) {
    payload = JSON.stringify(body)
    headers['Content-Type'] = 'application/json'
  }
  let res: Response
  try {
    res = await fetch(buildUrl(path, q), { method, headers, body: payload, credentials: 'same-origin' })
  } catch {
    throw new ApiError(0, { error: { code: 'network', message: lang === 'en' ? 'The server cannot be reached.' : '无法连接服务器。' } })
  }
  const text = await res.text()
  let data: unknown = null
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = null
    }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data)
    if (AUTH_CODES.includes(err.code) && path !== '/session' && onAuthLost) onAuthLost(err.code)
    throw err
  }
  return data as T
}

/** Starts a browser download of a GET route (exports, attachments); the cookie authenticates. */
export function download(path: string, q?: Query) {
  const a = document.createElement('a')
  // A link cannot send Accept-Language: ?lang names the language of titles and file names.
  a.href = buildUrl(path, { lang, ...q })
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
}
