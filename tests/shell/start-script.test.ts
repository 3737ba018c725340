// `npm start` (scripts/start.mjs) in a copy of the project whose `electron` package is replaced at its
// boundary (the Electron program cannot be downloaded here): the real `electron` package's own loader
// without its download dependencies (so the download fails, as offline), or a module that names a
// stand-in program.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = path.resolve('.');
let project: string;
afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

/** A project folder with scripts/start.mjs and the given files under node_modules/electron. */
function projectWith(electron: Record<string, string>): string {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-start-'));
  fs.mkdirSync(path.join(project, 'scripts'));
  fs.copyFileSync(path.join(ROOT, 'scripts/start.mjs'), path.join(project, 'scripts/start.mjs'));
  fs.writeFileSync(path.join(project, 'package.json'), '{"name": "deit-studio-start-test", "type": "module"}');
  const dir = path.join(project, 'node_modules/electron');
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(electron)) fs.writeFileSync(path.join(dir, name), text);
  return project;
}

function start(...args: string[]) {
  return spawnSync(process.execPath, [path.join(project, 'scripts/start.mjs'), '--no-build', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/' },
    timeout: 60_000,
  });
}

describe('npm start', () => {
  it('without the Electron program and no way to download it: plain words, the fix, and serve mode', () => {
    const real = path.join(ROOT, 'node_modules/electron');
    projectWith(
      Object.fromEntries(
        ['package.json', 'index.js', 'install.js'].map((f) => [f, fs.readFileSync(path.join(real, f), 'utf8')]),
      ),
    );
    const run = start();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('DeiT Studio could not open its desktop window');
    expect(run.stderr).toContain('run `npm start` again');
    expect(run.stderr).toContain('`npm run serve`');
  });

  it('opens Electron on the project folder, passes arguments on and returns its exit code', () => {
    const program = path.join(os.tmpdir(), `deit-fake-electron-${process.pid}.sh`);
    fs.writeFileSync(program, '#!/bin/sh\necho "cwd=$(pwd) args=$*"\nexit 3\n', { mode: 0o755 });
    try {
      projectWith({
        'package.json': '{"name": "electron", "main": "index.cjs"}',
        'index.cjs': `module.exports = ${JSON.stringify(program)};`,
      });
      const run = start('--inspect-brk=0');
      expect(run.stderr).toBe('');
      expect(run.stdout.trim()).toBe(`cwd=${fs.realpathSync(project)} args=. --inspect-brk=0`);
      expect(run.status).toBe(3);
    } finally {
      fs.rmSync(program, { force: true });
    }
  });
});
