import { ConnectionStatus } from '../../../renderer/src/api/connection';
import { downloadFile } from '../../../renderer/src/api/download';

// A download link cannot send the token's header: the page trades it for a one-time ticket first.

const TOKEN = 'page-token-0123456789abcdef';
let requests: Array<{ url: string; init: RequestInit | undefined }>;

beforeEach(() => {
  requests = [];
});

afterEach(() => vi.unstubAllGlobals());

function answer(status: number, body: unknown) {
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    requests.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  });
}

describe('downloadFile', () => {
  it('asks for a ticket with the Bearer token, then follows the ticketed address', async () => {
    answer(200, { ok: true, value: { ticket: 't1', url: '/api/download/runs/r1/zip?ticket=t1', expiresInS: 60 } });
    const follow = vi.fn();
    const problem = await downloadFile('/api/download/runs/r1/zip', 'r1.zip', { token: () => TOKEN, follow });
    expect(problem).toBeNull();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url).toBe('/api/ticket');
    expect(new Headers(requests[0]!.init?.headers).get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(String(requests[0]!.init?.body))).toEqual({ path: '/api/download/runs/r1/zip' });
    expect(follow).toHaveBeenCalledWith('/api/download/runs/r1/zip?ticket=t1', 'r1.zip');
  });

  it('a rejected token: nothing followed, and the page says the token is not accepted', async () => {
    answer(401, { ok: false, error: { kind: 'unauthorized', message: 'x' } });
    const follow = vi.fn();
    const status = new ConnectionStatus();
    const problem = await downloadFile('/api/download/runs/r1/zip', 'r1.zip', { token: () => TOKEN, follow, status });
    expect(problem).toMatch(/no longer accepts/);
    expect(follow).not.toHaveBeenCalled();
    expect(status.get().state).toBe('token_rejected');
  });

  it('the server down: says so', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const status = new ConnectionStatus();
    const follow = vi.fn();
    expect(await downloadFile('/x', 'x', { token: () => TOKEN, follow, status })).toMatch(/does not answer/);
    expect(status.get().state).toBe('reconnecting');
    expect(follow).not.toHaveBeenCalled();
  });
});
