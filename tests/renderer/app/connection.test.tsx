import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setApi } from '../../../renderer/src/api/api';
import { connection, ConnectionStatus } from '../../../renderer/src/api/connection';
import { useCall } from '../../../renderer/src/api/hooks';
import { createHttpApi } from '../../../renderer/src/api/http-transport';
import { ConnectionBanner } from '../../../renderer/src/app/ConnectionBanner';

/** A stand-in for the browser's EventSource: the test says when it opens, fails or closes. */
class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static opened: FakeEventSource[] = [];
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSED = 2;
  readyState = 0;
  constructor(readonly url: string) {
    super();
    FakeEventSource.opened.push(this);
  }
  open() {
    this.readyState = 1;
    this.dispatchEvent(new Event('open'));
  }
  /** The connection dropped; CONNECTING: the browser retries by itself, CLOSED: it gave up. */
  fail(readyState: 0 | 2) {
    this.readyState = readyState;
    this.dispatchEvent(new Event('error'));
  }
  close() {
    this.readyState = 2;
  }
}

type Reply = 'down' | number;
let reply: Reply;
const fetchCalls: string[] = [];

beforeEach(() => {
  FakeEventSource.opened = [];
  fetchCalls.length = 0;
  reply = 200;
  vi.stubGlobal('EventSource', FakeEventSource);
  vi.stubGlobal('fetch', async (url: string) => {
    fetchCalls.push(url);
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

describe('the HTTP transport reports the connection', () => {
  it('lost while the event stream reconnects; restored when it opens again', () => {
    const status = new ConnectionStatus();
    const api = createHttpApi('', status);
    api.on('run.updated', () => undefined);
    const [stream] = FakeEventSource.opened;
    stream!.open();
    expect(status.get()).toEqual({ state: 'connected', recoveries: 0, everConnected: true });
    stream!.fail(0);
    expect(status.get().state).toBe('reconnecting');
    stream!.open();
    expect(status.get()).toEqual({ state: 'connected', recoveries: 1, everConnected: true });
  });

  it('a call that cannot reach the server says so; the next answer restores', async () => {
    const status = new ConnectionStatus();
    const api = createHttpApi('', status);
    reply = 'down';
    const failed = await api.call('app.info', {});
    expect(failed).toMatchObject({ ok: false, error: { message: 'DeiT Studio’s server does not answer.' } });
    expect(status.get().state).toBe('reconnecting');
    reply = 200;
    expect(await api.call('app.info', {})).toMatchObject({ ok: true });
    expect(status.get()).toMatchObject({ state: 'connected', recoveries: 1 });
  });

  it('a stream the browser gave up on is opened again once the server answers', async () => {
    vi.useFakeTimers();
    const status = new ConnectionStatus();
    const api = createHttpApi('', status);
    api.on('run.updated', () => undefined);
    FakeEventSource.opened[0]!.open();
    reply = 'down';
    FakeEventSource.opened[0]!.fail(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(status.get().state).toBe('reconnecting');
    expect(FakeEventSource.opened).toHaveLength(1);
    reply = 200;
    await vi.advanceTimersByTimeAsync(2000); // tries again after a pause
    expect(FakeEventSource.opened).toHaveLength(2);
    FakeEventSource.opened[1]!.open();
    expect(status.get()).toMatchObject({ state: 'connected', recoveries: 1 });
  });

  it('a rejected token (the server restarted with a new one) stops reconnecting and says so', async () => {
    const status = new ConnectionStatus();
    const api = createHttpApi('', status);
    api.on('run.updated', () => undefined);
    FakeEventSource.opened[0]!.open();
    reply = 401;
    FakeEventSource.opened[0]!.fail(2); // the browser got a 401 for the stream: it gives up
    await waitFor(() => expect(status.get().state).toBe('token_rejected'));
    expect(fetchCalls).toEqual(['/api/call/app.info']); // asked once to tell 401 from "down"
    api.on('run.log', () => undefined);
    expect(FakeEventSource.opened).toHaveLength(1); // no more tries with a token that cannot work
    expect(await api.call('runs.list', {})).toMatchObject({ ok: false, error: { kind: 'unauthorized' } });
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

  it('says the server restarted and how to get back in, as an alert with a keyboard-usable reload', async () => {
    const user = userEvent.setup();
    const reload = vi.fn();
    vi.stubGlobal('location', { ...window.location, reload });
    render(<ConnectionBanner />);
    act(() => connection.tokenRejected());
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('The server restarted: reload this page with the new address.');
    expect(alert).toHaveTextContent('?token=…');
    await user.tab();
    expect(screen.getByRole('button', { name: 'Reload this page' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(reload).toHaveBeenCalled();
  });

  it('says the page needs the token when it never reached the server', () => {
    const fresh = new ConnectionStatus();
    render(<ConnectionBanner status={fresh} />);
    act(() => fresh.tokenRejected());
    expect(screen.getByRole('alert')).toHaveTextContent('This page needs the server’s access token.');
  });
});
