import { describe, expect, it } from 'vitest';
import { readJsonLines, streamEventError, type JsonLine } from '../../../../electron/core/docker/json-lines';
import { readFixture, readJsonLinesFixture } from '../../../helpers/fixtures';

const chunks = JSON.parse(readFixture('docker', 'pull-raw-chunks.json')) as string[];
const expected = readJsonLinesFixture('docker', 'pull-local-registry-3-layers.jsonl');

/** Every line of a stream sent in these chunks. */
async function splitAll(parts: Array<string | Uint8Array>): Promise<JsonLine[]> {
  async function* stream() {
    yield* parts;
  }
  const lines: JsonLine[] = [];
  await readJsonLines(stream(), (line) => lines.push(line));
  return lines;
}

describe('readJsonLines on a recorded pull stream', () => {
  it('parses the chunks as the engine sent them', async () => {
    expect((await splitAll(chunks)).map((l) => (l.ok ? l.value : l.text))).toEqual(expected);
  });

  it('gives the same events whatever the chunk boundaries (7-byte pieces, split UTF-8)', async () => {
    const bytes = Buffer.from(chunks.join('') + '{"status":"Grüße ✓"}\n');
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 7) pieces.push(bytes.subarray(i, i + 7));
    const values = (await splitAll(pieces)).map((l) => (l.ok ? l.value : l.text));
    expect(values).toEqual([...expected, { status: 'Grüße ✓' }]);
  });

  it('returns a malformed line as text instead of throwing, and accepts CRLF, blank lines and a last line without newline', async () => {
    expect(await splitAll(['{"a":1}\r\n{oops\n', '\n  \n{"b":2}'])).toEqual([
      { ok: true, value: { a: 1 } },
      { ok: false, text: '{oops' },
      { ok: true, value: { b: 2 } },
    ]);
  });

  it('drops no line of the engine, however long (beyond the 4 MiB bound of metrics.jsonl lines)', async () => {
    const long = 'x'.repeat(5 * 1024 * 1024);
    const [line] = await splitAll([`{"stream":"${long.slice(0, 1000)}`, `${long.slice(1000)}"}\n`]);
    expect(line).toEqual({ ok: true, value: { stream: long } });
  });
});

describe('streamEventError', () => {
  it('finds errors inside a 200 stream (errorDetail or error) and nothing in progress events', () => {
    const [failed] = readJsonLinesFixture('docker', 'build-step-failed.jsonl').slice(-1);
    expect(streamEventError(failed)).toMatch(/returned a non-zero code: 3/);
    expect(streamEventError({ error: 'plain' })).toBe('plain');
    for (const event of expected) expect(streamEventError(event)).toBeNull();
  });
});
