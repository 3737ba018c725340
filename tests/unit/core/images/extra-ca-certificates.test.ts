import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readExtraCaPem } from '../../../../electron/core/images/extra-ca-certificates';

const pem = (body: string) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`;
let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'deit-env-test-ca-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('readExtraCaPem', () => {
  it('collects locally added certificates (also in sub-folders), each once', async () => {
    await fs.mkdir(path.join(dir, 'corp'));
    await fs.writeFile(path.join(dir, 'a.crt'), pem('AAA'));
    await fs.writeFile(path.join(dir, 'corp', 'b.pem'), `${pem('BBB')}\n${pem('AAA')}\n`);
    await fs.writeFile(path.join(dir, 'notes.txt'), pem('CCC'));
    expect(await readExtraCaPem({ dirs: [dir], env: {} })).toBe(`${pem('AAA')}\n${pem('BBB')}`);
  });

  it('adds a small NODE_EXTRA_CA_CERTS file, not a whole system bundle', async () => {
    const small = path.join(dir, 'extra.pem');
    await fs.writeFile(small, pem('EXTRA'));
    expect(await readExtraCaPem({ dirs: [], env: { NODE_EXTRA_CA_CERTS: small } })).toBe(pem('EXTRA'));
    const bundle = path.join(dir, 'bundle.pem');
    await fs.writeFile(bundle, Array.from({ length: 100 }, () => pem('X'.repeat(1000))).join('\n'));
    expect(await readExtraCaPem({ dirs: [], env: { NODE_EXTRA_CA_CERTS: bundle } })).toBe('');
  });

  it('is empty when nothing was added or folders are missing', async () => {
    expect(await readExtraCaPem({ dirs: [path.join(dir, 'missing')], env: {} })).toBe('');
  });
});
