// Every main screen in both languages: each opens without a console error or a missing
// translation, speaks the chosen language (the menu and the page title), and is kept as a
// screenshot (test-artifacts/screenshots/screen-NAME-LOCALE.png). A few are also looked at
// on a phone's width, where nothing may overflow the page sideways.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { HAN, dashboardReady, demoSuite, firstLogin, firstLoginWithTotp, newPage, shot } from './lib.mjs'

const env = demoSuite()

/** Waits until the screen has its title and no loading mask or skeleton is left. */
async function settle(page) {
  await page.locator('#main h1').first().waitFor()
  await page.waitForFunction(() => !document.querySelector('#main .el-loading-mask, #main .el-skeleton'), null, { timeout: 15000 })
  await page.waitForTimeout(150)
}

async function setLocale(page, locale) {
  await page.evaluate((l) => localStorage.setItem('isms.locale', l), locale)
}

/** Opens each path in both languages, checks the words, saves the screenshots. */
async function tour(page, screens) {
  for (const locale of ['zh-CN', 'en']) {
    await setLocale(page, locale)
    for (const [name, path] of screens) {
      await page.goto(path)
      await settle(page)
      const menu = await page.locator('.app-aside').innerText()
      const title = await page.locator('#main h1').first().innerText()
      assert.ok(title.trim(), `${name}: an empty title`)
      if (locale === 'zh-CN') {
        assert.match(menu, /我的工作/, name)
        assert.match(title, HAN, `${name}: "${title}" is not Chinese`)
      } else {
        assert.ok(!HAN.test(menu), `${name}: Chinese in the English menu: ${menu}`)
        assert.match(menu, /My work/, name)
        // Titles may carry a person's name (Hello, 周强) but no Chinese words of ours.
        if (name !== 'dashboard') assert.ok(!HAN.test(title), `${name}: "${title}" is not English`)
      }
      assert.equal(await page.evaluate(() => document.documentElement.lang), locale)
      // Nothing pushes the page wider than the window (long names wrap, wide tables scroll
      // inside their own box).
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      assert.ok(wide <= 1, `${name} (${locale}): the page is ${wide}px wider than the window`)
      await shot(page, `screen-${name}-${locale}`)
    }
  }
  await setLocale(page, 'zh-CN')
  assert.deepEqual(page.problems, [])
}

test('the screens of an employee and of leadership', async () => {
  const page = await newPage(env.browser, env.server)
  await firstLogin(page, env.server, 'zhouqiang')
  await dashboardReady(page)
  const loans = await page.evaluate(async () => (await (await fetch('/api/v1/records?type=document_loan')).json()).items)
  await tour(page, [
    ['dashboard', '/'],
    ['register-list', '/registers/document_loan'],
    ['register-record', `/registers/document_loan/${loans[0].id}`],
    ['register-new', '/registers/complaint/new'],
    ['request-catalogue', '/requests/new'],
    ['request-form', '/requests/new/account'],
    ['my-requests', '/requests'],
    ['inbox', '/inbox'],
    ['notifications', '/notifications'],
    ['deadlines', '/deadlines'],
    ['tasks', '/tasks'],
    ['account', '/account'],
  ])
})

test('the screens of the three administrators', async () => {
  const screens = {
    sysadmin: [['users', '/admin/users'], ['departments', '/admin/departments'], ['calendar', '/admin/calendar']],
    secadmin: [['accounts-roles', '/security/accounts'], ['policy', '/security/policy'], ['channels', '/security/channels'], ['deliveries', '/security/deliveries'], ['reviews', '/security/reviews'], ['permissions', '/security/permissions']],
    auditadmin: [['audit-log', '/audit'], ['audit-verify', '/audit/verify']],
  }
  for (const [who, list] of Object.entries(screens)) {
    const page = await newPage(env.browser, env.server)
    await firstLoginWithTotp(page, env.server, who)
    if (who === 'sysadmin') {
      // A department and a person with the longest names the forms allow (64 characters).
      const made = await page.evaluate(async (names) => {
        const post = (path, body) => fetch('/api/v1' + path, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': localStorage.getItem('isms.csrf') }, body: JSON.stringify(body) })
        const d = await (await post('/departments', { name: names.dept })).json()
        const u = await post('/users', { username: 'long.name', display_name: names.person, department_id: d.department.id })
        return u.status
      }, { dept: '信息安全管理与医疗保险结算业务综合协调服务中心'.repeat(3).slice(0, 64), person: '欧阳'.padEnd(64, '慕容司马上官诸葛') })
      assert.equal(made, 201)
    }
    await tour(page, list)
    await page.context().close()
  }
})

test('on a phone the menu folds away and nothing overflows sideways', async () => {
  const page = await newPage(env.browser, env.server, { width: 390, height: 844 })
  await firstLogin(page, env.server, 'wangfang')
  await dashboardReady(page)
  for (const [name, path] of [['dashboard', '/'], ['inbox', '/inbox'], ['request-form', '/requests/new/account'], ['register-list', '/registers/complaint'], ['deadlines', '/deadlines']]) {
    await page.goto(path)
    await settle(page)
    assert.equal(await page.locator('.el-aside').count(), 0, `${name}: the side menu is shown on a phone`)
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(wide <= 1, `${name}: the page is ${wide}px wider than the phone`)
    await shot(page, `phone-${name}-zh-CN`)
  }
  // The menu opens from the header and leads somewhere.
  await page.getByRole('button', { name: '打开菜单' }).click()
  await page.locator('.el-drawer').getByText('待我审批').click()
  await page.waitForURL('**/inbox')
  assert.deepEqual(page.problems, [])
})
