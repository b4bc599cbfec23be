// The server's reasons for refusing a password (English `detail`) in the chosen language.
type T = (k: string, p?: Record<string, unknown>) => string

const KNOWN: [RegExp, string][] = [
  [/at least (\d+) characters/, 'password.why_length'],
  [/use at least (\d+) of/, 'password.why_classes'],
  [/too common|dictionary|common password/i, 'password.why_common'],
  [/login name|user ?name/i, 'password.why_name'],
  [/organization|department|system/i, 'password.why_org'],
  [/last (\d+)|used before|history/i, 'password.why_history'],
]

export function passwordProblem(t: T, detail?: string): string {
  if (!detail) return t('password.weak')
  for (const [re, key] of KNOWN) {
    const m = detail.match(re)
    if (m) return t(key, { n: m[1] ?? '' })
  }
  return `${t('password.weak')}: ${detail}`
}
