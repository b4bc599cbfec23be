// The TypeScript shapes of the JSON API, generated from docs/openapi.yaml with
// openapi-typescript into src/api/schema.d.ts, which the typed client (src/api/*.ts) is built
// on. `npm run gen:api` writes the file; `npm run check:api` (make test) generates it afresh
// and fails when the committed file differs, so the screens never drift from the documented API.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import openapiTS, { astToString } from 'openapi-typescript'

const SPEC = new URL('../../docs/openapi.yaml', import.meta.url)
const OUT = new URL('../src/api/schema.d.ts', import.meta.url)
const HEADER = `// Generated from docs/openapi.yaml by \`npm run gen:api\` (web/scripts/gen-api.mjs): do not
// edit. Change the document and generate again; \`npm run check:api\` fails while they differ.

`

async function generate() {
  const ast = await openapiTS(SPEC, {
    // A bare \`type: object\` is any object (JSON Schema), not an empty one.
    emptyObjectsUnknown: true,
    // A default is what the server assumes when the key is absent: the key stays optional.
    defaultNonNullable: false,
    silent: true,
  })
  return HEADER + astToString(ast)
}

const check = process.argv.includes('--check')
const fresh = await generate()
const out = fileURLToPath(OUT)
if (!check) {
  writeFileSync(out, fresh)
  console.log(`wrote ${out}`)
} else {
  let committed = ''
  try {
    committed = readFileSync(out, 'utf8')
  } catch {
    /* missing: differs */
  }
  if (committed === fresh) {
    console.log('src/api/schema.d.ts matches docs/openapi.yaml')
  } else {
    const a = committed.split('\n')
    const b = fresh.split('\n')
    let i = 0
    while (i < a.length && i < b.length && a[i] === b[i]) i++
    console.error('isms: web/src/api/schema.d.ts differs from what docs/openapi.yaml generates')
    console.error(`first difference at line ${i + 1}:`)
    console.error(`  committed: ${a[i] ?? '(end of file)'}`)
    console.error(`  generated: ${b[i] ?? '(end of file)'}`)
    console.error('run `npm run gen:api` in web/ and commit the result')
    process.exit(1)
  }
}
