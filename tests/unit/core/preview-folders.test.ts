import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PreviewFolders } from '../../../electron/core/preview-folders';
import { useTempDirs } from '../../helpers/temp-dirs';

const tempDir = useTempDirs('deit-preview-folders-');

describe('PreviewFolders: the folders whose images may be shown, kept across restarts', () => {
  it('remembers what was added for the next start of the app', async () => {
    const dataDir = tempDir();
    const first = PreviewFolders.load(dataDir);
    expect(first.has('/data/birds')).toBe(false);
    first.add('/data/birds').add('/data/cats').add('/data/birds');
    await first.flushed();
    const again = PreviewFolders.load(dataDir);
    expect([...again]).toEqual(['/data/birds', '/data/cats']);
    expect(fs.statSync(path.join(dataDir, 'preview-folders.json')).mode & 0o077).toBe(0);
  });

  it('starts with none from a damaged file, and ignores entries that are not absolute paths', () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, 'preview-folders.json');
    fs.writeFileSync(file, '{not json');
    expect(PreviewFolders.load(dataDir).size).toBe(0);
    fs.writeFileSync(file, JSON.stringify(['/data/ok', 'relative/x', 42]));
    expect([...PreviewFolders.load(dataDir)]).toEqual(['/data/ok']);
  });
});
