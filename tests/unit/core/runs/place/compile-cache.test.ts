import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCacheVolume, localCompileCache } from '../../../../../electron/core/runs/place/compile-cache';
import { useTempDirs } from '../../../../helpers/temp-dirs';

const tempDir = useTempDirs('deit-compile-cache-');

describe('the compile cache of a dataset', () => {
  it('is one private folder per dataset folder (a link to it shares it), outside the cache every run can see', async () => {
    const root = tempDir();
    const data = path.join(root, 'data');
    const [flowers, birds] = [path.join(root, 'flowers'), path.join(root, 'birds')];
    fs.mkdirSync(flowers);
    fs.mkdirSync(birds);
    fs.symlinkSync(flowers, path.join(root, 'flowers-link'));
    const a = await localCompileCache(data, flowers);
    expect(await localCompileCache(data, path.join(root, 'flowers-link'))).toBe(a);
    const b = await localCompileCache(data, birds);
    expect(b).not.toBe(a);
    expect(path.dirname(a)).toBe(path.join(data, 'compile-cache'));
    expect(fs.statSync(a).mode & 0o777).toBe(0o700);
  });

  it('on a server is a volume named by the dataset content hash', () => {
    expect(compileCacheVolume('deit-studio', 'ab'.repeat(32))).toBe('deit-studio-compile-abababababababab');
  });
});
