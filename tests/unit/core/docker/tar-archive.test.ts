import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tarArchive } from '../../../../electron/core/docker/tar-archive';

describe('tarArchive', () => {
  it('writes an archive that GNU tar lists and extracts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-env-test-tar-'));
    try {
      const file = path.join(dir, 'probe.tar');
      fs.writeFileSync(file, await tarArchive([{ name: 'etc/' }, { name: 'etc/marker', content: 'hello tar\n' }]));
      expect(execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).split('\n').filter(Boolean)).toEqual([
        'etc/',
        'etc/marker',
      ]);
      execFileSync('tar', ['-xf', file, '-C', dir]);
      expect(fs.readFileSync(path.join(dir, 'etc', 'marker'), 'utf8')).toBe('hello tar\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('pads to 512-byte blocks and ends with two empty blocks', async () => {
    const archive = await tarArchive([{ name: 'a', content: 'x' }]);
    expect(archive.length % 512).toBe(0);
    expect(archive.subarray(-1024).every((b) => b === 0)).toBe(true);
  });

  it('keeps the bytes of non-ASCII text', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-env-test-tar-'));
    try {
      const file = path.join(dir, 'note.tar');
      fs.writeFileSync(file, await tarArchive([{ name: 'note.txt', content: 'Grüße ✓\n' }]));
      expect(execFileSync('tar', ['-xOf', file, 'note.txt'], { encoding: 'utf8' })).toBe('Grüße ✓\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
