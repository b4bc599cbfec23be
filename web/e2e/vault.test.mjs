// The credential vault (密码保管库) and the backups in the browser: the security administrator
// creates the vault, seals it and unseals it again (a wrong passphrase is refused with the
// attempts left); IT staff store a generated password, reveal it with a reason and see it
// once, with a countdown, and gone from the page when the dialog closes; the reveal is in
// the security administrator's record; the system administrator backs up now and sees the
// backup verified.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { demoSuite, firstLogin, firstLoginWithTotp, newPage, shot } from './lib.mjs'

const env = demoSuite()
const PASSPHRASE = 'Kettle-Harbor-91-Lantern!'
const REASON = '处理工单 2026-118：登录核心交换机调整端口配置'

async function stateIs(page, state) {
  await page.locator(`[data-test=vault-state][data-state=${state}]`).waitFor({ timeout: 15000 })
}

async function unseal(page, passphrase) {
  await page.click('[data-test=vault-unseal]')
  const dialog = page.locator('[data-test=vault-unseal-dialog]')
  await dialog.waitFor()
  await dialog.locator('input[name=passphrase]').fill(passphrase)
  await dialog.locator('[data-test=vault-unseal-submit]').click()
}

test('the vault is created and unsealed, a generated password is stored, revealed once and hidden again', async () => {
  // The security administrator creates the vault.
  const sec = await newPage(env.browser, env.server)
  await firstLoginWithTotp(sec, env.server, 'secadmin')
  await sec.goto('/security/vault')
  await stateIs(sec, 'uninitialized')
  await sec.click('[data-test=vault-init]')
  const init = sec.locator('[data-test=vault-init-dialog]')
  await init.waitFor()
  // Too short: refused in the form, nothing sent.
  await init.locator('input[name=passphrase]').fill('short-one')
  await init.locator('input[name=passphrase_again]').fill('short-one')
  await init.locator('[data-test=vault-init-submit]').click()
  await init.locator('.el-form-item__error').filter({ hasText: '16' }).waitFor()
  await init.locator('input[name=passphrase]').fill(PASSPHRASE)
  await init.locator('input[name=passphrase_again]').fill(PASSPHRASE)
  await init.locator('[data-test=vault-init-submit]').click()
  await sec.locator('[data-test=vault-state][data-state=unsealed], [data-test=vault-state][data-state=sealed]').waitFor({ timeout: 20000 })

  // Sealed (after creation or by hand), a wrong passphrase is refused with the attempts
  // left, the right one unseals.
  if ((await sec.locator('[data-test=vault-state]').getAttribute('data-state')) === 'unsealed') {
    await sec.click('[data-test=vault-seal]')
    await sec.locator('.el-message-box__btns .el-button--primary').click()
    await stateIs(sec, 'sealed')
  }
  await unseal(sec, 'Wrong-Passphrase-2026!')
  const unsealDialog = sec.locator('[data-test=vault-unseal-dialog]')
  const refusal = unsealDialog.locator('.el-form-item__error')
  await refusal.waitFor({ timeout: 20000 })
  assert.match(await refusal.innerText(), /口令.*4/)
  await unsealDialog.locator('input[name=passphrase]').fill(PASSPHRASE)
  await unsealDialog.locator('[data-test=vault-unseal-submit]').click()
  await stateIs(sec, 'unsealed')
  await shot(sec, 'vault-unsealed-zh-CN')
  sec.problems = sec.problems.filter((p) => p !== 'http 403 POST /api/v1/vault/unseal')

  // IT staff add an entry with a generated password.
  const it = await newPage(env.browser, env.server)
  await firstLogin(it, env.server, 'zhangwei')
  await it.goto('/security/vault')
  await stateIs(it, 'unsealed')
  await it.click('[data-test=vault-create]')
  const dialog = it.locator('[data-test=vault-entry-dialog]')
  await dialog.waitFor()
  await dialog.locator('[data-test=vault-entry-name]').fill('核心交换机 admin')
  await dialog.locator('[data-test=vault-entry-system]').fill('机房网络')
  await dialog.locator('[data-test=vault-entry-host]').fill('10.0.0.2')
  await dialog.locator('[data-test=vault-entry-username]').fill('admin')
  await dialog.locator('[data-test=vault-generate]').click()
  const secretInput = dialog.locator('[data-test=vault-entry-secret]')
  await it.waitForFunction((el) => el.value.length > 0, await secretInput.elementHandle())
  const secret = await secretInput.inputValue()
  assert.equal(secret.length, 20)
  assert.equal(await dialog.locator('[data-test=vault-strength]').getAttribute('data-level'), '3')
  await dialog.locator('[data-test=vault-entry-save]').click()
  await dialog.waitFor({ state: 'hidden' })
  const row = it.locator('[data-test=vault-entries] tbody tr', { hasText: '核心交换机 admin' })
  await row.waitFor()
  assert.ok(!(await it.content()).includes(secret), 'the typed secret stays on the page after saving')

  // Reveal: a reason first (too short is refused here), then the secret once.
  await row.locator('[data-test=vault-reveal]').click()
  const reveal = it.locator('[data-test=vault-reveal-dialog]')
  await reveal.waitFor()
  await reveal.locator('textarea[data-test=vault-reveal-reason]').fill('看看')
  await reveal.locator('[data-test=vault-reveal-submit]').click()
  await reveal.locator('.el-form-item__error').waitFor()
  await reveal.locator('textarea[data-test=vault-reveal-reason]').fill(REASON)
  await reveal.locator('[data-test=vault-reveal-submit]').click()
  const box = reveal.locator('[data-test=vault-reveal-secret]')
  await box.waitFor()
  assert.equal((await box.innerText()).trim(), secret)
  const countdown = reveal.locator('[data-test=vault-reveal-countdown]')
  const left = Number(await countdown.getAttribute('data-left'))
  assert.ok(left > 20 && left <= 30, `countdown starts at ${left}`)
  assert.match(await countdown.innerText(), /秒后自动隐藏/)
  await it.waitForFunction((n) => Number(document.querySelector('[data-test=vault-reveal-countdown]')?.getAttribute('data-left')) < n, left, { timeout: 3000 })
  await shot(it, 'vault-reveal-zh-CN')
  // Nothing of it in the address or the browser's storage.
  const stored = await it.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + location.href)
  assert.ok(!stored.includes(secret))
  // Closing hides it at once: gone from the page.
  await reveal.locator('[data-test=vault-reveal-close]').click()
  await reveal.waitFor({ state: 'hidden' })
  assert.equal(await it.locator('[data-test=vault-reveal-secret]').count(), 0)
  assert.ok(!(await it.content()).includes(secret), 'the secret is still in the page after closing')

  // The security administrator sees the reveal with its reason.
  await sec.goto('/security/vault/reveals')
  await sec.locator('[data-test=vault-reveals-table] tbody tr', { hasText: REASON }).waitFor()
  assert.match(await sec.locator('[data-test=vault-reveals-table] tbody tr').first().innerText(), /核心交换机 admin/)
  for (const p of [sec, it]) assert.deepEqual(p.problems, [])
})

test('the system administrator backs up now and sees the verified backup', async () => {
  const page = await newPage(env.browser, env.server)
  await firstLoginWithTotp(page, env.server, 'sysadmin')
  await page.goto('/admin/backups')
  await page.locator('[data-test=backups-table]').waitFor()
  await page.locator('[data-test=backup-config] .el-descriptions').waitFor()
  assert.match(await page.locator('[data-test=backup-config]').innerText(), /备份计划/)
  assert.match(await page.locator('[data-test=backup-restore-help]').innerText(), /isms backup restore --data/)
  await page.click('[data-test=backup-run-now]')
  const verified = page.locator('[data-test=backups-table] [data-test=backup-status][data-status=verified]')
  await verified.first().waitFor({ timeout: 25000 })
  await page.locator('[data-test=backups-table] .el-table__expand-icon').first().click()
  await page.locator('[data-test=backup-check]').first().waitFor()
  assert.match(await page.locator('[data-test=backup-check]').first().innerText(), /审计链/)
  await shot(page, 'backups-zh-CN')
  assert.deepEqual(page.problems, [])
})
