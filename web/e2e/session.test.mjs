// Logging in: a new person's first login with the forced password change (each rule shown as
// it is met), the lockout message with its unlock time, and two-factor enrolment followed by
// a login with a code computed here.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { NEW_PASSWORD, dashboardReady, demoSuite, enrolTotp, firstLogin, logout, newPage, shot, submitLogin, totp } from './lib.mjs'

const env = demoSuite()

test('a new person logs in with the one-time password and must choose a password that meets the policy', async () => {
  const page = await newPage(env.browser, env.server)
  await submitLogin(page, 'sunli', env.server.passwords.sunli)
  await page.waitForURL('**/password')
  await shot(page, 'password-change-zh-CN')
  const rule = (id) => page.locator(`[data-test=password-rules] [data-rule=${id}]`)
  await page.fill('input[name=new_password]', 'abc')
  assert.equal(await rule('length').getAttribute('data-ok'), 'false')
  assert.equal(await rule('classes').getAttribute('data-ok'), 'false')
  // A password with the login name in it: the rule says so before anything is sent.
  await page.fill('input[name=new_password]', 'Sunli#2026abc')
  assert.equal(await rule('name').getAttribute('data-ok'), 'false')
  // Long enough and mixed, but a dictionary word: the server's check says so while typing.
  await page.fill('input[name=new_password]', 'Password1!')
  await page.locator('[data-test=password-rules] [data-rule=server].no').waitFor()
  // Submitting anyway is refused with the server's reason, and nothing changes.
  await page.fill('input[name=new_password_again]', 'Password1!')
  await page.click('[data-test=password-submit]')
  await page.locator('[data-test=password-error]').waitFor()
  assert.match(await page.locator('[data-test=password-error]').innerText(), /常见|不符合/)
  assert.ok(page.url().endsWith('/password'))
  // A good one: every rule met, the server agrees, the dashboard follows.
  await page.fill('input[name=new_password]', NEW_PASSWORD)
  await page.fill('input[name=new_password_again]', NEW_PASSWORD)
  for (const id of ['length', 'classes', 'name', 'again']) assert.equal(await rule(id).getAttribute('data-ok'), 'true', id)
  await page.locator('[data-test=password-rules] [data-rule=server].ok').waitFor()
  await page.click('[data-test=password-submit]')
  await dashboardReady(page)
  // The new password is the password now; the one-time one is gone.
  await logout(page)
  await submitLogin(page, 'sunli', env.server.passwords.sunli)
  await page.locator('[data-test=login-error]').waitFor()
  await submitLogin(page, 'sunli', NEW_PASSWORD)
  await dashboardReady(page)
  // The refused submission (400) and the refused old password (401) are the only failed
  // requests the browser logged; the live check while typing answers 200.
  assert.deepEqual(page.problems, ['http 400 POST /api/v1/me/password', 'http 401 POST /api/v1/session'])
})

test('three wrong passwords lock the account and the login says until when', async () => {
  const page = await newPage(env.browser, env.server)
  for (let i = 0; i < 3; i++) {
    await submitLogin(page, 'zhaolei', 'wrong-password-' + i)
    await page.locator('[data-test=login-error]').waitFor()
  }
  await submitLogin(page, 'zhaolei', env.server.passwords.zhaolei)
  const msg = page.locator('[data-test=login-error]')
  await msg.filter({ hasText: '锁定' }).waitFor()
  assert.match(await msg.innerText(), /将于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 自动解锁/)
  await shot(page, 'login-locked-zh-CN')
  // Failed logins answer 401 and 423: the browser logs those responses, nothing else.
  assert.deepEqual(page.problems.filter((p) => !/^http (401|423) POST \/api\/v1\/session$/.test(p)), [])
})

test('two-factor enrolment shows the QR code and recovery codes, and the next login needs a code', async () => {
  const page = await newPage(env.browser, env.server, { locale: 'en' })
  // (an account the policy does not ask 2FA of, setting it up by choice)
  await firstLogin(page, env.server, 'wujun')
  await dashboardReady(page)
  await page.goto('/totp')
  await page.locator('[data-test=totp-qr]').waitFor()
  assert.match(await page.locator('[data-test=totp-qr]').getAttribute('src'), /^data:image\/svg\+xml/)
  await shot(page, 'totp-enrol-en')
  const secret = await enrolTotp(page)
  assert.match(secret, /^[A-Z2-7]{32}$/)
  await logout(page)
  await submitLogin(page, 'wujun', NEW_PASSWORD)
  const otp = page.locator('input[name=otp]')
  await otp.waitFor()
  await shot(page, 'login-otp-en')
  // A wrong code is refused; the code of the next step (inside the window, newer than the
  // enrolment's) lets the person in.
  await otp.fill('000000')
  await page.click('[data-test=login-submit]')
  await page.locator('[data-test=login-error]').filter({ hasText: 'wrong' }).waitFor()
  await otp.fill(totp(secret, Date.now() / 1000 + 30))
  await page.click('[data-test=login-submit]')
  await dashboardReady(page)
  // The password alone answers 401 otp_required (the code step), the wrong code 401 bad_otp.
  assert.deepEqual(page.problems, ['http 401 POST /api/v1/session', 'http 401 POST /api/v1/session'])
})

test('the login and the menu work with the keyboard alone, with a visible focus', async () => {
  const page = await newPage(env.browser, env.server)
  await firstLogin(page, env.server, 'liuyang')
  await logout(page)
  await page.goto('/login')
  // The user name has the focus once the screen is up; Tab goes to the password, Enter logs in.
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'username')
  await page.keyboard.type('liuyang')
  await page.keyboard.press('Tab')
  await page.keyboard.type(NEW_PASSWORD)
  await page.keyboard.press('Enter')
  await dashboardReady(page)
  // The first Tab reaches "skip to main content", which moves the focus past the menu.
  await page.keyboard.press('Tab')
  const skip = page.locator('.skip-link')
  assert.equal(await skip.evaluate((e) => e === document.activeElement), true)
  assert.notEqual(await skip.evaluate((e) => getComputedStyle(e).left), '-9999px')
  await page.keyboard.press('Enter')
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main')
  // A menu entry opens with the keyboard, and the focused entry is outlined.
  const entry = page.locator('.app-aside a.menu-link', { hasText: '通知' })
  await entry.focus()
  assert.notEqual(await entry.evaluate((e) => getComputedStyle(e).outlineStyle), 'none')
  await page.keyboard.press('Enter')
  await page.waitForURL('**/notifications')
  assert.deepEqual(page.problems, [])
})
