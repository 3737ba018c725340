import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonOrNull, writeFileAtomic, writeJsonAtomic } from '../../../electron/core/atomic-file';
import { useTempDirs } from '../../helpers/temp-dirs';

const temp = useTempDirs('deit-atomic-');

describe('writeFileAtomic', () => {
  it('writes the content to a file private to the user (0600), leaving no temp file', async () => {
    const dir = temp();
    const file = path.join(dir, 'state.json');
    await writeJsonAtomic(file, { status: 'queued' });
    expect(await readJsonOrNull(file)).toEqual({ status: 'queued' });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['state.json']);
  });

  it('makes a file that was readable by others private when it replaces it', async () => {
    const file = path.join(temp(), 'run.json');
    fs.writeFileSync(file, 'old', { mode: 0o644 });
    await writeFileAtomic(file, 'new');
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('fails when the folder is missing, leaving nothing behind', async () => {
    const dir = temp();
    await expect(writeFileAtomic(path.join(dir, 'gone', 'x.json'), '{}')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
