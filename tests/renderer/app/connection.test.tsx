import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setApi } from '../../../renderer/src/api/api';
import { connection, ConnectionStatus } from '../../../renderer/src/api/connection';
import { useCall } from '../../../renderer/src/api/hooks';
import { createHttpApi } from '../../../renderer/src/api/http-transport';
import { TOKEN_KEY } from '../../../renderer/src/api/token';
import { ConnectionBanner } from '../../../renderer/src/app/ConnectionBanner';

/** One response of GET /api/events: the test writes to it, ends it, or cuts it. */
interface FakeStream {
  headers: Headers;
  signal: AbortSignal | null | undefined;
  push(text: string): void;
  end(): void;
  cut(): void;
}

type Reply = 'down' | number;
let reply: Reply;
let streamReply: Reply;
let streams: FakeStream[];
const fetchCalls: Array<{ url: string; headers: Headers; credentials?: RequestCredentials }> = [];

function eventsResponse(init: RequestInit | undefined): Response {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const encoder = new TextEncoder();
  init?.signal?.addEventListener('abort', () => controller.error(new DOMException('Aborted', 'AbortError')));
  streams.push({
    headers: new Headers(init?.headers),
    signal: init?.signal,
    push: (text) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
    cut: () => controller.error(new TypeError('network error')),
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

beforeEach(() => {
  streams = [];
  fetchCalls.length = 0;
  reply = 200;
  streamReply = 200;
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    fetchCalls.push({ url, headers: new Headers(init?.headers), credentials: init?.credentials });
    if (url.endsWith('/api/events')) {
      if (streamReply === 'down') throw new TypeError('Failed to fetch');
      if (streamReply !== 200) return new Response('{}', { status: streamReply });
      return eventsResponse(init);
    }
    if (reply === 'down') throw new TypeError('Failed to fetch');
    const body =
      reply === 401
        ? { ok: false, error: { kind: 'unauthorized', message: 'This request needs the access token.' } }
        : {
            ok: true,
            value: {
              name: 'DeiT Studio',
              version: '1',
              shell: 'serve',
              platform: 'linux',
              dataDir: '/d',
              runsDir: '/d/runs',
            },
          };
    return new Response(JSON.stringify(body), { status: reply, headers: { 'Content-Type': 'application/json' } });
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  setApi(null);
});

const TOKEN = 'page-token-0123456789abcdef';
const token = () => TOKEN;
const streamCalls = () => fetchCalls.filter((c) => c.url.endsWith('/api/events'));

describe('the HTTP transport: the token in Authorization: Bearer, never a cookie', () => {
  it('sends the token with every call and the event stream', async () => {
    const api = createHttpApi('', new ConnectionStatus(), token);
    api.on('run.updated', () => undefined);
    await api.call('app.info', {});
    await vi.waitFor(() => expect(streams).toHaveLength(1));
    for (const call of fetchCalls) {
      expect(call.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
      expect(call.credentials).toBe('omit');
    }
    expect(streams[0]!.headers.get('accept')).toBe('text/event-stream');
  });

  it('delivers the stream’s events to their listeners, in order, split anywhere', async () => {
    const api = createHttpApi('', new ConnectionStatus(), token);
    const seen: unknown[] = [];
    api.on('run.log', (payload) => seen.push(payload));
    await vi.waitFor(() => expect(streams).toHaveLength(1));
    const stream = streams[0]!;
    stream.push(
      'retry: 1000\n\n: keep-alive\n\nid: 1\nevent: run.log\ndata: {"runId":"a","lines":["x"]}\n\nid: 2\nevent: run.lo',
    );
    stream.push('g\r\ndata: {"runId":"b",\r\ndata: "lines":[]}\r\n\r\nid: 3\nevent: not.ours\ndata: {}\n\n');
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    expect(seen).toEqual([
      { runId: 'a', lines: ['x'] },
      { runId: 'b', lines: [] },
    ]);
  });
});

describe('the HTTP transport reports the connection', () => {
  it('lost at once when the stream drops; reconnects with Last-Event-ID, then restored', async () => {
    vi.useFakeTimers();
    const status = new ConnectionStatus();
    const api = createHttpApi('', status, token);
    api.on('run.updated', () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(status.get()).toEqual({ state: 'connected', recoveries: 0, everConnected: true });
    streams[0]!.push('id: 41\nevent: run.updated\ndata: {}\n\nid: 42\ndata: {}\n\n');
    await vi.advanceTimersByTimeAsync(0);
    streams[0]!.cut();
    await vi.advanceTimersByTimeAsync(0);
    expect(status.get().state).toBe('reconnecting');
    expect(streams).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000); // the server's retry
    expect(streams).toHaveLength(2);
    expect(streams[1]!.headers.get('last-event-id')).toBe('42');
    expect(status.get()).toEqual({ state: 'connected', recoveries: 1, everConnected: true });
  });

  it('a call that cannot reach the server says so; the next answer restores', async () => {
    const status = new ConnectionStatus();
    const api = createHttpApi('', status, token);
    reply = 'down';
    const failed = await api.call('app.info', {});
    expect(failed).toMatchObject({ ok: false, error: { message: 'DeiT Studio’s server does not answer.' } });
    expect(status.get().state).toBe('reconnecting');
    reply = 200;
    expect(await api.call('app.info', {})).toMatchObject({ ok: true });
    expect(status.get()).toMatchObject({ state: 'connected', recoveries: 1 });
  });

  it('while the server is down, tries the stream again every 2 s, and is restored when it answers', async () => {
    vi.useFakeTimers();
    const status = new ConnectionStatus();
    const api = createHttpApi('', status, token);
    streamReply = 'down';
    api.on('run.updated', () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(status.get().state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(1999);
    expect(streamCalls()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(streamCalls()).toHaveLength(2);
    streamReply = 200;
    await vi.advanceTimersByTimeAsync(2000);
    expect(streams).toHaveLength(1);
    expect(status.get()).toMatchObject({ state: 'connected', recoveries: 1 });
  });

  it('a stream the server refuses (503: too many tabs) is tried again, backing off, never in a tight loop', async () => {
    vi.useFakeTimers();
    const status = new ConnectionStatus();
    const api = createHttpApi('', status, token);
    streamReply = 503;
    api.on('run.updated', () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(streamCalls()).toHaveLength(2); // once more at once
    await vi.advanceTimersByTimeAsync(499);
    expect(streamCalls()).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(streamCalls()).toHaveLength(3);
    expect(status.get().state).toBe('connected');
  });

  it('a rejected token (the server restarted with a new one) stops the stream and says so', async () => {
    vi.useFakeTimers();
    const status = new ConnectionStatus();
    const api = createHttpApi('', status, token);
    api.on('run.updated', () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(status.get().everConnected).toBe(true);
    streamReply = 401;
    streams[0]!.end(); // the server went; the next try is answered 401
    await vi.advanceTimersByTimeAsync(1000);
    expect(status.get().state).toBe('token_rejected');
    const tries = streamCalls().length;
    api.on('run.log', () => undefined);
    reply = 401;
    expect(await api.call('runs.list', {})).toMatchObject({ ok: false, error: { kind: 'unauthorized' } });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(streamCalls()).toHaveLength(tries); // no more tries with a token that cannot work
  });

  it('a 401 for a call stops the open stream', async () => {
    vi.useFakeTimers();
    const status = new ConnectionStatus();
    const api = createHttpApi('', status, token);
    api.on('run.updated', () => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(streams).toHaveLength(1);
    reply = 401;
    await api.call('runs.list', {});
    expect(status.get().state).toBe('token_rejected');
    expect(streams[0]!.signal?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(streamCalls()).toHaveLength(1);
  });
});

function Reader() {
  const info = useCall('app.info', {});
  return <p>{info.data ? `version ${info.data.version}` : 'loading'}</p>;
}

describe('ConnectionBanner', () => {
  // These drive the page's one connection status, in order.
  it('announces the lost connection, then that it is back, and the page reads its data again', async () => {
    let version = 1;
    setApi({
      call: async () => ({
        ok: true,
        value: { name: 'x', version: String(version++), shell: 'serve', platform: 'l', dataDir: '/', runsDir: '/' },
      }),
      on: () => () => undefined,
    } as never);
    render(
      <>
        <ConnectionBanner />
        <Reader />
      </>,
    );
    expect(await screen.findByText('version 1')).toBeInTheDocument();
    const status = screen.getByRole('status');
    expect(status).toBeEmptyDOMElement();
    act(() => connection.lost());
    expect(status).toHaveTextContent('Connection lost — reconnecting…');
    expect(status).toHaveClass('connection-banner');
    act(() => connection.restored());
    expect(status).toHaveTextContent('Connected again.');
    expect(status).toHaveClass('visually-hidden');
    expect(await screen.findByText('version 2')).toBeInTheDocument(); // read again after the loss
  });

  it('says the server restarted and how to get back in, as an alert with a keyboard-usable token form', async () => {
    const user = userEvent.setup();
    const reload = vi.fn();
    vi.stubGlobal('location', { ...window.location, reload });
    sessionStorage.clear();
    render(<ConnectionBanner />);
    act(() => connection.tokenRejected());
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('The server restarted: reload this page with the new address.');
    expect(alert).toHaveTextContent('?token=…');
    await user.tab();
    expect(screen.getByLabelText('New access token')).toHaveFocus();
    await user.keyboard('new-token-0123456789{Enter}');
    expect(reload).toHaveBeenCalled();
    expect(sessionStorage.getItem(TOKEN_KEY)).toBe('new-token-0123456789');
  });

  it('says the page needs the token when it never reached the server', () => {
    const fresh = new ConnectionStatus();
    render(<ConnectionBanner status={fresh} />);
    act(() => fresh.tokenRejected());
    expect(screen.getByRole('alert')).toHaveTextContent('This page needs the server’s access token.');
  });
});
