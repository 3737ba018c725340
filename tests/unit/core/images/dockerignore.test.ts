import { describe, expect, it } from 'vitest';
import { parseDockerignore } from '../../../../electron/core/images/dockerignore';

describe('parseDockerignore', () => {
  it("applies the trainer's .dockerignore (bench, **/__pycache__, **/*.pyc)", () => {
    const ignored = parseDockerignore('bench\n**/__pycache__\n**/*.pyc\n');
    expect(ignored('bench')).toBe(true);
    expect(ignored('bench/run.py')).toBe(true);
    expect(ignored('deit_trainer/__pycache__/x.cpython-313.pyc')).toBe(true);
    expect(ignored('deit_trainer/sub/mod.pyc')).toBe(true);
    expect(ignored('top.pyc')).toBe(true);
    expect(ignored('deit_trainer/train.py')).toBe(false);
    expect(ignored('benchmark.txt')).toBe(false);
  });

  it('supports *, ?, leading slashes, comments and ! exceptions (last match wins)', () => {
    const ignored = parseDockerignore('# notes\n/docs/*.md\n!docs/KEEP.md\nfile?.txt\n');
    expect(ignored('docs/a.md')).toBe(true);
    expect(ignored('docs/KEEP.md')).toBe(false);
    expect(ignored('docs/sub/a.md')).toBe(false);
    expect(ignored('file1.txt')).toBe(true);
    expect(ignored('file10.txt')).toBe(false);
  });

  it('ignores nothing for an empty file', () => {
    expect(parseDockerignore('')('Dockerfile')).toBe(false);
  });
});
