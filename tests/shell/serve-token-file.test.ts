import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseServeArgs, SERVE_USAGE } from '../../electron/serve/serve-options';
import { removeTokenFile, startupMessage, writeTokenFile } from '../../electron/serve/token-file';

// `--token-file`: the address with the token goes to a private file, the printed one has no token.
// Without it the printed address is the one-click address the e2e helper (tests/e2e/serve-process.ts)
// reads from the output.

const TOKEN = 'Zm9vYmFyLXRva2VuLWZvci10ZXN0cw';
const SERVER = { url: `http://127.0.0.1:8765/?token=${TOKEN}`, address: 'http://127.0.0.1:8765/' };
const E2E_ADDRESS = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/;
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-token-file-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('serve options: --token-file', () => {
  it('is read in both forms, needs a value, and is described in the usage', () => {
    expect(parseServeArgs(['--token-file', '/x/t'], {}).tokenFile).toBe('/x/t');
    expect(parseServeArgs(['--token-file=/x/t', '--port', '0'], {}).tokenFile).toBe('/x/t');
    expect(parseServeArgs([], {}).tokenFile).toBeUndefined();
    expect(() => parseServeArgs(['--token-file'], {})).toThrow('--token-file needs a value.');
    expect(SERVE_USAGE).toContain('--token-file FILE');
  });
});

describe('the token file', () => {
  it('holds the address with the token, readable only by this user', () => {
    const file = path.join(dir, 'token');
    expect(writeTokenFile(file, SERVER.url)).toBe(file);
    expect(fs.readFileSync(file, 'utf8')).toBe(`${SERVER.url}\n`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['token']); // no temporary file left
  });

  it('replaces an existing file with wider permissions, and a planted link instead of writing through it', () => {
    const file = path.join(dir, 'token');
    fs.writeFileSync(file, 'old\n', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    writeTokenFile(file, SERVER.url);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const victim = path.join(dir, 'victim');
    fs.writeFileSync(victim, 'keep me\n');
    const link = path.join(dir, 'link');
    fs.symlinkSync(victim, link);
    writeTokenFile(link, SERVER.url);
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(fs.lstatSync(link).isFile()).toBe(true);
    expect(fs.readFileSync(link, 'utf8')).toBe(`${SERVER.url}\n`);
  });

  it('says what failed and what to do when the folder does not exist', () => {
    const file = path.join(dir, 'no-such-folder', 'token');
    expect(() => writeTokenFile(file, SERVER.url)).toThrow(
      new RegExp(`Could not write the token file ${file}: .*ENOENT.*Choose a file in a folder you can write to`),
    );
  });

  it('is removed at stop only while it still holds this start’s address', () => {
    const file = path.join(dir, 'token');
    writeTokenFile(file, SERVER.url);
    removeTokenFile(file, 'http://127.0.0.1:8765/?token=another-start');
    expect(fs.existsSync(file)).toBe(true);
    removeTokenFile(file, SERVER.url);
    expect(fs.existsSync(file)).toBe(false);
    expect(() => removeTokenFile(file, SERVER.url)).not.toThrow();
  });
});

describe('what serve prints at start', () => {
  it('by default: the one-click address with the token', () => {
    const text = startupMessage(SERVER);
    expect(E2E_ADDRESS.exec(text)?.[1]).toBe(SERVER.url);
  });

  it('with a token file: the address without the token, and where the token is', () => {
    const text = startupMessage(SERVER, '/home/me/.deit-studio-token');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toMatch(/token=/);
    expect(text).toContain(SERVER.address);
    expect(text).toContain('/home/me/.deit-studio-token');
  });
});
