import { SseParser, readEventStream, type SseEvent } from '../../../renderer/src/api/sse-reader';

// The event stream read with fetch (EventSource cannot send the token's header): the format as the
// HTML standard defines it, and the server's own framing (electron/serve/event-stream.ts).

function parse(...chunks: string[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = new SseParser((e) => events.push(e));
  for (const chunk of chunks) parser.push(chunk);
  return events;
}

describe('SseParser', () => {
  it('reads the server’s events: id, name, data; comments and the retry hint', () => {
    expect(parse('retry: 1000\n\n: keep-alive\n\nid: 7\nevent: run.updated\ndata: {"a":1}\n\n')).toEqual([
      { event: '', data: '', retry: 1000 },
      { id: '7', event: 'run.updated', data: '{"a":1}' },
    ]);
  });

  it('joins data lines, accepts \\r\\n and \\r, and waits for the blank line', () => {
    expect(parse('data: a\r\ndata:b\r\r', 'data: c\n')).toEqual([{ event: 'message', data: 'a\nb' }]);
    expect(parse('data: x\r', '\n\r\n')).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('keeps the last id for later events (what Last-Event-ID carries), and ignores unknown fields', () => {
    expect(parse('id: 3\ndata: 1\n\nfoo: bar\ndata: 2\n\n')).toEqual([
      { id: '3', event: 'message', data: '1' },
      { id: '3', event: 'message', data: '2' },
    ]);
  });

  it('reads a fetch body split at any byte, multi-byte characters too', async () => {
    const bytes = new TextEncoder().encode('id: 1\nevent: run.log\ndata: {"line":"Über 99 %"}\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
        controller.close();
      },
    });
    const events: SseEvent[] = [];
    await readEventStream(body, (e) => events.push(e));
    expect(events).toEqual([{ id: '1', event: 'run.log', data: '{"line":"Über 99 %"}' }]);
  });
});
