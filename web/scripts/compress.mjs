// Writes a gzip copy (level 9) next to every text file of dist/ larger than 1 KiB, which
// isms serves to browsers that accept gzip (src/http/static.c).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const TEXT = /\.(js|css|html|svg|json|txt)$/
let before = 0
let after = 0
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) walk(p)
    else if (TEXT.test(name) && statSync(p).size > 1024) {
      const data = readFileSync(p)
      const z = gzipSync(data, { level: 9 })
      writeFileSync(p + '.gz', z)
      before += data.length
      after += z.length
    }
  }
}
walk(new URL('../dist', import.meta.url).pathname)
console.log(`compressed ${(before / 1024).toFixed(0)} KiB of text to ${(after / 1024).toFixed(0)} KiB (gzip -9)`)
// The last step of a build: meson embeds dist/ again whenever this file changes.
writeFileSync(new URL('../dist/.built', import.meta.url), new Date().toISOString() + '\n')
