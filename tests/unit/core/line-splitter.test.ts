import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../electron/core/line-splitter';

const b = (text: string) => Buffer.from(text, 'utf8');

describe('LineSplitter', () => {
  it('returns complete lines and keeps a partial one until its newline arrives', () => {
    const s = new LineSplitter();
    expect(s.push(b('{"a":1}\n{"b"'))).toEqual(['{"a":1}']);
    expect(s.pendingLength).toBe(4);
    expect(s.push(b(':2}\n'))).toEqual(['{"b":2}']);
    expect(s.pendingLength).toBe(0);
  });

  it('accepts CRLF, also when the CR and LF arrive in different chunks', () => {
    const s = new LineSplitter();
    expect(s.push(b('one\r\ntwo\r'))).toEqual(['one']);
    expect(s.push(b('\nthree\n'))).toEqual(['two', 'three']);
  });

  it('keeps empty lines so that line numbers stay those of the file', () => {
    expect(new LineSplitter().push(b('a\n\nb\n'))).toEqual(['a', '', 'b']);
  });

  it('decodes a multi-byte character split across chunks', () => {
    const bytes = b('{"message":"Käse – 猫"}\n');
    const s = new LineSplitter();
    const lines: string[] = [];
    for (let i = 0; i < bytes.length; i++) lines.push(...s.push(bytes.subarray(i, i + 1)));
    expect(lines).toEqual(['{"message":"Käse – 猫"}']);
  });

  it('copies held bytes, so a reused read buffer cannot corrupt a partial line', () => {
    const s = new LineSplitter();
    const buffer = b('abc');
    s.push(buffer);
    buffer.write('xyz');
    expect(s.push(b('\n'))).toEqual(['abc']);
  });

  it('drops an over-long line and carries on with the next', () => {
    const s = new LineSplitter(10);
    expect(s.push(b('0123456789ABCDEF'))).toEqual([]);
    expect(s.push(b('GHI\nok\n'))).toEqual(['ok']);
    expect(s.droppedLines).toBe(1);
    expect(s.push(b('short\n0123456789abc\nend\n'))).toEqual(['short', 'end']);
    expect(s.droppedLines).toBe(2);
  });

  it('flush returns an unterminated last line once', () => {
    const s = new LineSplitter();
    s.push(b('a\npartial'));
    expect(s.flush()).toEqual(['partial']);
    expect(s.flush()).toEqual([]);
  });
});
