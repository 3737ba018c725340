// Writes docker/protocol/events.schema.json from the zod definitions of the trainer's events
// (electron/contract/trainer-protocol.ts, via electron/contract/events-json-schema.ts), so the JSON
// Schema the trainer's tests use and the TypeScript contract are one source. Run it after changing an
// event; tests/unit/contract/events-schema.test.ts fails while the checked-in copy is out of date.
// Usage: node scripts/gen-events-schema.mjs
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(root, 'docker/protocol/events.schema.json');

// One self-contained ES module (zod bundled in), imported from memory: no build folder to clean up.
const bundle = await build({
  entryPoints: [path.join(root, 'electron/contract/events-json-schema.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  write: false,
  logLevel: 'warning',
});
const url = `data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString('base64')}`;
const { eventsJsonSchemaText } = await import(url);
const text = eventsJsonSchemaText();
const before = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : null;
fs.writeFileSync(out, text);
console.log(`${path.relative(root, out)} ${before === text ? 'unchanged' : 'written'}.`);
