// make bench (web part): the production bundle's size and the dashboard's time to
// interactive, measured in Debian's Chromium against the release `isms serve` on the demo
// organization (isms init --demo), with a same-run reference: the same bundle's login
// screen served as static files by nginx. Prints a Markdown table for docs/benchmarks.md.
//
//   node bench/web.mjs            (after `make build`; needs nginx-light and chromium)
import { createRequire } from 'node:module'
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir, cpus } from 'node:os'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { createServer } from 'node:net'

const root = resolve(new URL('..', import.meta.url).pathname)
const require = createRequire(join(root, 'web/package.json'))
const { chromium } = require('playwright-core')
const BIN = process.env.ISMS_BIN ?? join(root, 'build/isms')
const RUNS = Number(process.env.BENCH_RUNS ?? 20)
const dist = join(root, 'web/dist')

function files(dir, rel = '') {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? files(p, rel + n + '/') : [{ name: rel + n, path: p }]
  })
}
const kib = (n) => (n / 1024).toFixed(1)

// --- bundle size ---
const all = files(dist).filter((f) => !f.name.endsWith('.gz') && !f.name.startsWith('.'))
const sum = (list) => list.reduce((a, f) => a + statSync(f.path).size, 0)
const gz = (list) => list.reduce((a, f) => a + gzipSync(readFileSync(f.path), { level: 9 }).length, 0)
const js = all.filter((f) => f.name.endsWith('.js'))
const css = all.filter((f) => f.name.endsWith('.css'))
const index = readFileSync(join(dist, 'index.html'), 'utf8')
const initialNames = ['index.html', ...[...index.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1])]
const initial = all.filter((f) => initialNames.includes(f.name))

// --- servers ---
function freePort() {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port
      s.close(() => ok(p))
    })
  })
}
const tmp = mkdtempSync(join(tmpdir(), 'isms-bench-web-'))
execFileSync(BIN, ['init', '--data', join(tmp, 'd'), '--demo', '--password-file', join(tmp, 'pw')], { stdio: 'pipe' })
const pw = Object.fromEntries(readFileSync(join(tmp, 'pw'), 'utf8').trim().split('\n').map((l) => l.split(' ')))
const isms = spawn(BIN, ['serve', '--data', join(tmp, 'd'), '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] })
const url = await new Promise((ok) => {
  let log = ''
  const seen = (b) => {
    log += b
    const m = log.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/)
    if (m) ok(m[1])
  }
  isms.stdout.on('data', seen)
  isms.stderr.on('data', seen)
})
const ngPort = await freePort()
writeFileSync(join(tmp, 'nginx.conf'), `worker_processes 1; daemon on; pid ${tmp}/nginx.pid; error_log ${tmp}/nginx.err;
events { worker_connections 256; }
http { access_log off; include /etc/nginx/mime.types; gzip_static on;
  server { listen 127.0.0.1:${ngPort}; root ${dist}; location / { try_files $uri /index.html; } } }\n`)
execFileSync('nginx', ['-c', join(tmp, 'nginx.conf'), '-p', tmp])

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]
const p95 = (a) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.ceil(a.length * 0.95) - 1)]

// Each run is a cold page (new context: no cache), as a person opening the browser.
async function loginScreen(base) {
  const times = []
  for (let i = 0; i < RUNS; i++) {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } })
    const page = await ctx.newPage()
    await page.goto(base + '/login')
    await page.locator('input[name=username]').waitFor()
    times.push(await page.evaluate(() => performance.now()))
    await ctx.close()
  }
  return times
}

async function dashboard(user) {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, baseURL: url })
  const page = await ctx.newPage()
  await page.goto('/login')
  await page.fill('input[name=username]', user)
  await page.fill('input[name=password]', pw[user])
  await page.click('[data-test=login-submit]')
  await page.waitForURL('**/password')
  await page.fill('input[name=new_password]', 'Zk8#mq2!Lp9w-bench')
  await page.fill('input[name=new_password_again]', 'Zk8#mq2!Lp9w-bench')
  await page.click('[data-test=password-submit]')
  await page.locator('[data-test=dashboard][data-ready="1"]').waitFor()
  const cold = []
  const warm = []
  for (let i = 0; i < RUNS; i++) {
    // Cold: the browser cache emptied (a new session's first visit); warm: a reload.
    const cdp = await ctx.newCDPSession(page)
    await cdp.send('Network.clearBrowserCache')
    await cdp.detach()
    await page.goto('/')
    await page.locator('[data-test=dashboard][data-ready="1"]').waitFor()
    cold.push(await page.evaluate(() => window.__ismsDashboardReady))
    await page.reload()
    await page.locator('[data-test=dashboard][data-ready="1"]').waitFor()
    warm.push(await page.evaluate(() => window.__ismsDashboardReady))
  }
  await ctx.close()
  return { cold, warm }
}

const ref = await loginScreen(`http://127.0.0.1:${ngPort}`)
const own = await loginScreen(url)
const gm = await dashboard('zhouqiang')
const it = await dashboard('zhangwei')
await browser.close()
execFileSync('nginx', ['-c', join(tmp, 'nginx.conf'), '-p', tmp, '-s', 'stop'])
isms.kill('SIGTERM')
await new Promise((r) => isms.once('exit', r))
rmSync(tmp, { recursive: true, force: true })

const cpu = cpus()[0]?.model ?? '?'
const ms = (v) => v.toFixed(0) + ' ms'
console.log(`machine: ${cpus().length} × ${cpu}; chromium headless; ${RUNS} runs each; command: node bench/web.mjs\n`)
console.log('| bundle | files | raw | gzip -9 |')
console.log('|---|---|---|---|')
console.log(`| all JavaScript | ${js.length} | ${kib(sum(js))} KiB | ${kib(gz(js))} KiB |`)
console.log(`| all CSS | ${css.length} | ${kib(sum(css))} KiB | ${kib(gz(css))} KiB |`)
console.log(`| first load (index.html and what it links) | ${initial.length} | ${kib(sum(initial))} KiB | ${kib(gz(initial))} KiB |`)
console.log('\n| screen | median | p95 | ratio to the reference |')
console.log('|---|---|---|---|')
console.log(`| reference: login screen, same bundle from nginx (static) | ${ms(median(ref))} | ${ms(p95(ref))} | 1.00 |`)
console.log(`| login screen from isms | ${ms(median(own))} | ${ms(p95(own))} | ${(median(own) / median(ref)).toFixed(2)} |`)
for (const [who, r] of [['general manager (charts, whole organization)', gm], ['IT staff (faults, missed duties)', it]]) {
  console.log(`| dashboard interactive, ${who}, cold cache | ${ms(median(r.cold))} | ${ms(p95(r.cold))} | ${(median(r.cold) / median(ref)).toFixed(2)} |`)
  console.log(`| dashboard interactive, ${who}, reload | ${ms(median(r.warm))} | ${ms(p95(r.warm))} | ${(median(r.warm) / median(ref)).toFixed(2)} |`)
}
