import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const ELECTRON = path.join(ROOT, 'electron');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** The modules a source text imports whose name ends in `-handlers`. */
function handlerImports(text: string): string[] {
  return [...text.matchAll(/from\s+['"]([^'"]*-handlers)['"]/g)].map((match) => match[1] ?? '');
}

describe('*-handlers.ts modules are leaves', () => {
  it('only app-core.ts imports a handlers module; shared code lives in its own module', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(ELECTRON)) {
      if (path.relative(ELECTRON, file) === path.join('core', 'app-core.ts')) continue;
      const text = fs.readFileSync(file, 'utf8');
      for (const name of handlerImports(text)) offenders.push(`${path.relative(ROOT, file)} imports ${name}`);
    }
    expect(offenders).toEqual([]);
  });

  it('finds such an import (the check can fail)', () => {
    expect(handlerImports("import { resolveDatasetRoot } from '../dataset/dataset-handlers';")).toEqual([
      '../dataset/dataset-handlers',
    ]);
    expect(handlerImports("import { x } from './handlers-kit';")).toEqual([]);
  });
});
