// End-to-end test support: a live `isms serve` on a demo organization (isms init --demo),
// Debian's Chromium through playwright-core, logins (first login, 2FA), TOTP codes computed
// here (RFC 6238), a watch on the browser console, and screenshots kept as test artifacts.
import { spawn, execFileSync } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, before } from 'node:test'
import { chromium } from 'playwright-core'

const root = resolve(new URL('../..', import.meta.url).pathname)
export const BIN = process.env.ISMS_BIN ?? join(root, 'build/isms')
export const ARTIFACTS = process.env.ISMS_ARTIFACTS ?? join(root, 'test-artifacts')
export const NEW_PASSWORD = 'Zk8#mq2!Lp9w-e2e'
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'

/** A demo organization served on a free loopback port; stop() removes everything. */
export async function startServer() {
  const data = mkdtempSync(join(tmpdir(), 'isms-e2e-'))
  const pwFile = join(data, 'passwords.txt')
  execFileSync(BIN, ['init', '--data', join(data, 'd'), '--demo', '--password-file', pwFile], { stdio: 'pipe' })
  const passwords = Object.fromEntries(
    readFileSync(pwFile, 'utf8').trim().split('\n').map((l) => l.split(' ')),
  )
  const proc = spawn(BIN, ['serve', '--data', join(data, 'd'), '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  const url = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('isms serve did not start:\n' + log)), 20000)
    const seen = (b) => {
      log += b.toString()
      const m = log.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/)
      if (m) {
        clearTimeout(timer)
        ok(m[1])
      }
    }
    proc.stdout.on('data', seen)
    proc.stderr.on('data', seen)
    proc.on('exit', (c) => fail(new Error(`isms serve exited (${c}):\n` + log)))
  })
  return {
    url,
    passwords,
    log: () => log,
    /** Stops the server; throws when it did not exit cleanly (a sanitizer's report). */
    async stop() {
      const code = proc.exitCode ?? (await new Promise((r) => {
        proc.once('exit', (c, sig) => r(c ?? sig))
        proc.kill('SIGTERM')
      }))
      rmSync(data, { recursive: true, force: true })
      if (code !== 0) throw new Error(`isms serve exited with ${code}:\n${log.slice(-4000)}`)
    },
  }
}

/**
 * The demo organization and a browser for the tests of one file: started before them,
 * stopped after (a server that does not exit cleanly fails the file). Use env.server and
 * env.browser inside the tests.
 */
export function demoSuite() {
  const env = { server: null, browser: null }
  before(async () => {
    env.server = await startServer()
    env.browser = await launch()
  })
  after(async () => {
    await env.browser?.close()
    await env.server?.stop()
  })
  return env
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/**
 * A fresh browser context (its own cookies) in a language and size, with a watch on the
 * console: every error, every Vue or i18n warning and every uncaught exception is kept in
 * `problems`, which each test asserts empty.
 */
export async function newPage(browser, server, { locale = 'zh-CN', width = 1366, height = 768 } = {}) {
  const ctx = await browser.newContext({ viewport: { width, height }, locale, baseURL: server.url })
  await ctx.addInitScript((l) => {
    if (!localStorage.getItem('isms.locale')) localStorage.setItem('isms.locale', l)
  }, locale)
  const page = await ctx.newPage()
  page.problems = []
  page.on('console', (m) => {
    const text = m.text()
    // A failed request is logged by the browser without its address; the response
    // listener below records it with the address instead.
    if (m.type() === 'error' && text.startsWith('Failed to load resource')) return
    if (m.type() === 'error' || (m.type() === 'warning' && /Vue warn|intlify|Not found '/.test(text)))
      page.problems.push(`${m.type()}: ${text}`)
  })
  page.on('response', (r) => {
    if (r.status() >= 400) page.problems.push(`http ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`)
  })
  page.on('pageerror', (e) => page.problems.push(`exception: ${e.message}`))
  return page
}

/** RFC 6238 code (SHA-1, 6 digits, 30 s) of a base32 secret at time t (seconds). */
export function totp(secret, t = Date.now() / 1000) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = ''
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0')
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)))
  const msg = Buffer.alloc(8)
  msg.writeBigUInt64BE(BigInt(Math.floor(t / 30)))
  const h = createHmac('sha1', key).update(msg).digest()
  const o = h[h.length - 1] & 15
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0')
}

export async function submitLogin(page, username, password) {
  await page.goto('/login')
  await page.fill('input[name=username]', username)
  await page.fill('input[name=password]', password)
  await page.click('[data-test=login-submit]')
}

/**
 * First login: the one-time password, then the forced change to NEW_PASSWORD, then — for the
 * accounts the policy asks it of (administrators, IT staff, leadership, department heads …) —
 * the two-factor enrolment with a computed code. Returns the TOTP secret (or null), also kept
 * in server.secrets[username] for later logins.
 */
export async function firstLogin(page, server, username, password = NEW_PASSWORD) {
  await submitLogin(page, username, server.passwords[username])
  await page.waitForURL('**/password')
  await page.fill('input[name=new_password]', password)
  await page.fill('input[name=new_password_again]', password)
  await page.click('[data-test=password-submit]')
  await page.waitForURL((u) => !u.pathname.endsWith('/password'))
  if (!new URL(page.url()).pathname.endsWith('/totp')) return null
  const secret = await enrolTotp(page)
  server.secrets = { ...(server.secrets ?? {}), [username]: secret }
  return secret
}

/** On the 2FA enrolment screen: confirm with a computed code; returns the secret. */
export async function enrolTotp(page) {
  const secretEl = page.locator('[data-test=totp-secret]')
  await secretEl.waitFor()
  const secret = await secretEl.getAttribute('data-secret')
  await page.fill('input[name=code]', totp(secret))
  await page.click('[data-test=totp-confirm]')
  await page.locator('[data-test=recovery-codes] li').first().waitFor()
  await page.click('[data-test=codes-kept]')
  await page.click('[data-test=totp-finish]')
  await page.waitForURL((u) => u.pathname === '/')
  return secret
}

/** First login of an account that must enrol 2FA (the administrators); returns the secret. */
export async function firstLoginWithTotp(page, server, username) {
  const secret = await firstLogin(page, server, username)
  if (!secret) throw new Error(`${username} was not asked to set up two-factor login`)
  return secret
}

export async function dashboardReady(page) {
  await page.locator('[data-test=dashboard][data-ready="1"]').waitFor({ timeout: 15000 })
}

export async function logout(page) {
  await page.click('[data-test=account-menu]')
  await page.click('[data-test=logout]')
  await page.waitForURL('**/login')
}

/** Saves a full-page screenshot as test-artifacts/screenshots/NAME.png. */
export async function shot(page, name) {
  const dir = join(ARTIFACTS, 'screenshots')
  mkdirSync(dir, { recursive: true })
  await page.screenshot({ path: join(dir, name + '.png'), fullPage: true })
}

/** Chinese characters (CJK Unified Ideographs). */
export const HAN = /[\u4e00-\u9fff]/
