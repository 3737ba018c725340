import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('the renderer cannot reach Node, Electron or the core', () => {
  it('fails to type-check `import fs` in the renderer project (no Node types there)', () => {
    const dir = fs.mkdtempSync(path.join(ROOT, 'renderer', '.probe-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'probe.ts'),
        "import fs from 'fs';\nimport { readFile } from 'node:fs/promises';\nexport const x = [fs, readFile, process.env];\n",
      );
      fs.writeFileSync(
        path.join(dir, 'tsconfig.json'),
        JSON.stringify({ extends: '../../tsconfig.web.json', include: ['probe.ts'] }),
      );
      let output = '';
      try {
        execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir, '--noEmit'], {
          encoding: 'utf8',
        });
      } catch (error) {
        output = String((error as { stdout?: string }).stdout);
      }
      expect(output).toMatch(/Cannot find name 'fs'/);
      expect(output).toMatch(/Cannot find name 'node:fs\/promises'/);
      expect(output).toMatch(/Cannot find name 'process'/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses (lint) imports of electron, Node built-ins, dockerode and core modules in the renderer', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const code = [
      "import { ipcRenderer } from 'electron';",
      "import fs from 'node:fs';",
      "import path from 'path';",
      "import Docker from 'dockerode';",
      "import { createCore } from '../../electron/core/app-core';",
      'export const all = [ipcRenderer, fs, path, Docker, createCore];',
    ].join('\n');
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, 'renderer/src/probe.ts') });
    const restricted = result!.messages.filter((m) => m.ruleId === 'no-restricted-imports');
    expect(restricted).toHaveLength(5);
  });

  it('allows the renderer to import the contract', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const [result] = await eslint.lintText(
      "import { calls } from '../../electron/contract';\nexport const c = calls;\n",
      {
        filePath: path.join(ROOT, 'renderer/src/probe.ts'),
      },
    );
    expect(result!.messages.filter((m) => m.ruleId === 'no-restricted-imports')).toEqual([]);
  });
});
