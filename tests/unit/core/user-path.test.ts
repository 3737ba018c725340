import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/contract';
import { isSystemPath, resolveUserPath } from '../../../electron/core/user-path';

// The one path rule of every call that takes a path from the user (issue 17).

function refusal(input: string, kind: 'folder' | 'file' = 'folder'): AppError {
  try {
    resolveUserPath(input, kind);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`${input} was accepted`);
}

describe('resolveUserPath', () => {
  it('expands a leading ~ to the home folder and normalises', () => {
    expect(resolveUserPath('~/x', 'folder')).toBe(path.join(os.homedir(), 'x'));
    expect(resolveUserPath('~', 'folder')).toBe(os.homedir());
    expect(resolveUserPath('/tmp/a/../b/', 'file')).toBe(path.resolve('/tmp/b'));
  });

  it('refuses a relative path, naming the fix', () => {
    for (const input of ['photos', './photos', '~other/photos', '']) {
      const error = refusal(input);
      expect(error.kind).toBe('validation');
      expect(error.message).toContain('not a full folder path');
      expect(error.fix).toMatch(/full path, e\.g\. \/home\/you\/photos/);
    }
    expect(refusal('weights.pth', 'file').message).toContain('not a full file path');
    expect(refusal('/tmp/a\0b').kind).toBe('validation');
  });

  it('refuses the whole disk and system folders', () => {
    for (const input of ['/', '//', '/proc', '/proc/self/root', '/sys/class', '/dev/zero', '/etc', '/usr', '/boot']) {
      const error = refusal(input);
      expect(error.kind).toBe('validation');
      expect(error.message).toMatch(/whole disk or a system folder/);
      expect(error.fix).toContain(os.homedir());
    }
    expect(refusal('/var/lib/docker/volumes/x').kind).toBe('validation');
    expect(refusal('/home/../proc', 'file').kind).toBe('validation');
  });

  it('accepts folders of users, including under folders that only hold them', () => {
    for (const input of [
      '/home/ana/photos',
      '/usr/share/datasets/flowers',
      '/mnt/data',
      '/tmp/x',
      '/run/media/ana/usb',
    ]) {
      expect(resolveUserPath(input, 'folder')).toBe(input);
    }
  });
});

describe('isSystemPath', () => {
  it("knows Windows' system folders and drive roots, in any case", () => {
    expect(isSystemPath('C:\\')).toBe(true);
    expect(isSystemPath('C:\\Windows')).toBe(true);
    expect(isSystemPath('c:\\WINDOWS\\System32')).toBe(true);
    expect(isSystemPath('C:\\Program Files')).toBe(true);
    expect(isSystemPath('D:\\data\\photos')).toBe(false);
    expect(isSystemPath('/PROC/1')).toBe(true);
  });
});
