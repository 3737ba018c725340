import { describe, expect, it } from 'vitest';
import { JsonLineSplitter, readJsonLines, streamEventError } from '../../../../electron/core/docker/json-lines';
import { readFixture, readJsonLinesFixture } from '../../../helpers/fixtures';

const chunks = JSON.parse(readFixture('docker', 'pull-raw-chunks.json')) as string[];
const expected = readJsonLinesFixture('docker', 'pull-local-registry-3-layers.jsonl');

function splitAll(parts: Array<string | Uint8Array>) {
  const splitter = new JsonLineSplitter();
  return [...parts.flatMap((p) => splitter.push(p)), ...splitter.end()];
}

describe('JsonLineSplitter on a recorded pull stream', () => {
  it('parses the chunks as the engine sent them', () => {
    expect(splitAll(chunks).map((l) => (l.ok ? l.value : l.text))).toEqual(expected);
  });

  it('gives the same events whatever the chunk boundaries (7-byte pieces, split UTF-8)', () => {
    const bytes = Buffer.from(chunks.join('') + '{"status":"Grüße ✓"}\n');
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 7) pieces.push(bytes.subarray(i, i + 7));
    const values = splitAll(pieces).map((l) => (l.ok ? l.value : l.text));
    expect(values).toEqual([...expected, { status: 'Grüße ✓' }]);
  });

  it('returns a malformed line as text instead of throwing, and accepts CRLF and a last line without newline', () => {
    expect(splitAll(['{"a":1}\r\n{oops\n', '{"b":2}'])).toEqual([
      { ok: true, value: { a: 1 } },
      { ok: false, text: '{oops' },
      { ok: true, value: { b: 2 } },
    ]);
  });

  it('reads a whole stream', async () => {
    async function* stream() {
      yield* chunks;
    }
    const seen: unknown[] = [];
    await readJsonLines(stream(), (line) => seen.push(line.ok ? line.value : line.text));
    expect(seen).toHaveLength(expected.length);
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
