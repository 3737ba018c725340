import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFromArchive, safeRelative } from '../../../../../electron/core/runs/place/untrusted-tar';
import { resultRule } from '../../../../../electron/core/runs/place/volume-place';

type Entry = {
  name: string;
  content?: string;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'fifo';
  linkname?: string;
};

async function archive(entries: Entry[]): Promise<Readable> {
  const pack = tar.pack();
  for (const e of entries) {
    if (e.type && e.type !== 'file') pack.entry({ name: e.name, type: e.type, linkname: e.linkname });
    else pack.entry({ name: e.name }, e.content ?? '');
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Readable.from([Buffer.concat(chunks)]);
}

const dirs: string[] = [];
function output(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-untrusted-tar-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('copyFromArchive (a tar from a server, written into output/)', () => {
  it('writes known regular files and skips links, devices, paths outside and unknown files', async () => {
    const out = output();
    const result = await copyFromArchive(
      await archive([
        { name: 'eval/', type: 'directory' },
        { name: 'eval/metrics.json', content: '{"val_top1":0.5}' },
        { name: 'eval/attention.json', type: 'symlink', linkname: '/etc/passwd' },
        { name: 'eval/hard.json', type: 'link', linkname: 'eval/metrics.json' },
        { name: 'eval/pipe.json', type: 'fifo' },
        { name: '../../escape.json', content: 'x' },
        { name: 'eval/../../escape2.json', content: 'x' },
        { name: 'eval/sub/deep.json', content: 'x' },
        { name: 'checkpoints/last.pt', content: 'x' },
      ]),
      out,
      '',
      (rel) => resultRule(rel, false),
    );
    expect(result.files).toEqual(['eval/metrics.json']);
    expect(fs.readFileSync(path.join(out, 'eval/metrics.json'), 'utf8')).toBe('{"val_top1":0.5}');
    expect(result.refused).toHaveLength(7);
    expect(fs.readdirSync(out)).toEqual(['eval']);
    expect(fs.readdirSync(path.join(out, 'eval'))).toEqual(['metrics.json']);
    expect(fs.existsSync(path.join(out, '..', 'escape.json'))).toBe(false);
  });

  it('appends only what is past the local size of a streamed file, and replaces whole files', async () => {
    const out = output();
    fs.writeFileSync(path.join(out, 'metrics.jsonl'), '{"a":1}\n{"b"');
    fs.writeFileSync(path.join(out, 'report.md'), 'old report');
    await copyFromArchive(
      await archive([
        { name: 'metrics.jsonl', content: '{"a":1}\n{"b":2}\n{"c":3}\n' },
        { name: 'report.md', content: 'new' },
      ]),
      out,
      '',
      (rel) => resultRule(rel, false),
    );
    expect(fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8')).toBe('{"a":1}\n{"b":2}\n{"c":3}\n');
    expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toBe('new');
  });

  it('leaves out a file over its cap and never writes through a local link', async () => {
    const out = output();
    const secret = path.join(output(), 'secret.txt');
    fs.writeFileSync(secret, 'mine');
    fs.symlinkSync(secret, path.join(out, 'train.log'));
    const result = await copyFromArchive(
      await archive([
        { name: 'resolved-config.json', content: 'x'.repeat(64) },
        { name: 'train.log', content: 'planted' },
      ]),
      out,
      '',
      (rel) => (rel === 'resolved-config.json' ? { mode: 'replace', cap: 16 } : resultRule(rel, false)),
    ).catch((error: Error) => error);
    expect(fs.readFileSync(secret, 'utf8')).toBe('mine');
    expect(fs.existsSync(path.join(out, 'resolved-config.json'))).toBe(false);
    if (!(result instanceof Error)) expect(result.refused).toContain('resolved-config.json');
  });

  it('best.pt only when asked; names relative to a sub-folder', async () => {
    const out = output();
    const best = async (withBest: boolean) =>
      copyFromArchive(await archive([{ name: 'best.pt', content: 'weights' }]), out, 'checkpoints', (rel) =>
        resultRule(rel, withBest),
      );
    expect((await best(false)).files).toEqual([]);
    expect((await best(true)).files).toEqual(['checkpoints/best.pt']);
    expect(fs.readFileSync(path.join(out, 'checkpoints/best.pt'), 'utf8')).toBe('weights');
  });

  it('safeRelative refuses what leaves the folder', () => {
    expect(safeRelative('eval/./metrics.json')).toBe('eval/metrics.json');
    for (const bad of ['/etc/passwd', '../x', 'a/../../x', '', '.', 'a\\..\\x', 'a\0b'])
      expect(safeRelative(bad)).toBeNull();
  });
});
