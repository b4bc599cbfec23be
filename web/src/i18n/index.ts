// vue-i18n with Chinese first (zh-CN default) and English. Messages live in parts/*.ts,
// one file per area of the interface, each exporting { 'zh-CN': {...}, en: {...} }; they are
// merged here so that each screen keeps its own words.
import { createI18n } from 'vue-i18n'
import { setApiLanguage } from '@/api'

export type Locale = 'zh-CN' | 'en'
export const LOCALES: { id: Locale; name: string }[] = [
  { id: 'zh-CN', name: '简体中文' },
  { id: 'en', name: 'English' },
]

type Part = { default: Record<Locale, Record<string, unknown>> }
const parts = import.meta.glob<Part>('./parts/*.ts', { eager: true })
const messages: Record<Locale, Record<string, unknown>> = { 'zh-CN': {}, en: {} }
for (const p of Object.values(parts))
  for (const l of ['zh-CN', 'en'] as Locale[]) Object.assign(messages[l], p.default[l])

const KEY = 'isms.locale'
function initial(): Locale {
  const saved = localStorage.getItem(KEY)
  if (saved === 'en' || saved === 'zh-CN') return saved
  return 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  locale: initial(),
  fallbackLocale: 'zh-CN',
  messages: messages as any,
  datetimeFormats: {
    'zh-CN': {
      short: { year: 'numeric', month: '2-digit', day: '2-digit' },
      long: { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false },
    },
    en: {
      short: { year: 'numeric', month: 'short', day: 'numeric' },
      long: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false },
    },
  } as any,
})
setApiLanguage(initial())
document.documentElement.lang = initial()

export function setLocale(l: Locale) {
  ;(i18n.global.locale as any).value = l
  localStorage.setItem(KEY, l)
  setApiLanguage(l)
  document.documentElement.lang = l
}
export function currentLocale(): Locale {
  return (i18n.global.locale as any).value as Locale
}
