import { ConnectionStatus } from '../../../renderer/src/api/connection';
import { REACHED_KEY, rememberReached } from '../../../renderer/src/app/offline-shell';
import { offlineCopyOf, shellUrls, staleCaches } from '../../../renderer/src/app/offline-shell-policy';

// Serve mode's service worker keeps the app shell only (renderer/src/sw.ts runs in the browser; the
// e2e test tests/e2e/reload-while-down.spec.ts drives it in Chromium). Here: which requests it keeps.

const SCOPE = 'http://127.0.0.1:8765/';
const page = (url: string) => ({ url, method: 'GET', mode: 'navigate' });
const get = (url: string) => ({ url, method: 'GET', mode: 'cors' });

describe('offlineCopyOf: which requests the worker keeps a copy of', () => {
  it('keeps every page of the app under one key: index.html is the only page', () => {
    expect(offlineCopyOf(page(SCOPE), SCOPE)).toEqual({ key: SCOPE });
    expect(offlineCopyOf(page(`${SCOPE}runs/abc`), SCOPE)).toEqual({ key: SCOPE });
    expect(offlineCopyOf(page(`${SCOPE}?lang=en`), SCOPE)).toEqual({ key: SCOPE });
  });

  it('keeps the build assets, under their address without a query', () => {
    expect(offlineCopyOf(get(`${SCOPE}assets/index-BZy_bZLt.js`), SCOPE)).toEqual({
      key: `${SCOPE}assets/index-BZy_bZLt.js`,
    });
    expect(offlineCopyOf(get(`${SCOPE}assets/index-DL8cgWTZ.css?v=2`), SCOPE)).toEqual({
      key: `${SCOPE}assets/index-DL8cgWTZ.css`,
    });
  });

  it('never keeps the API: calls, the event stream, downloads, not even when opened as a page', () => {
    for (const url of [
      `${SCOPE}api/call/app.info`,
      `${SCOPE}api/events`,
      `${SCOPE}api/download/runs/r1/zip`,
      `${SCOPE}api/download/runs/r1/file/export/model.onnx`,
      `${SCOPE}api/download/runs/r1/zip?ticket=one-time-ticket`,
      `${SCOPE}api`,
    ]) {
      expect(offlineCopyOf(get(url), SCOPE)).toBeNull();
      expect(offlineCopyOf(page(url), SCOPE)).toBeNull();
    }
    expect(offlineCopyOf({ url: `${SCOPE}api/call/runs.list`, method: 'POST', mode: 'cors' }, SCOPE)).toBeNull();
  });

  it('never keeps or answers the printed address with the token', () => {
    expect(offlineCopyOf(page(`${SCOPE}?token=secret`), SCOPE)).toBeNull();
    expect(offlineCopyOf(page(`${SCOPE}runs?x=1&token=secret`), SCOPE)).toBeNull();
    expect(offlineCopyOf(get(`${SCOPE}assets/a.js?token=secret`), SCOPE)).toBeNull();
  });

  it('leaves alone other methods, other origins, paths outside its scope and other files', () => {
    expect(offlineCopyOf({ url: SCOPE, method: 'POST', mode: 'navigate' }, SCOPE)).toBeNull();
    expect(offlineCopyOf({ url: `${SCOPE}assets/a.js`, method: 'HEAD', mode: 'cors' }, SCOPE)).toBeNull();
    expect(offlineCopyOf(page('http://127.0.0.1:9999/'), SCOPE)).toBeNull(); // another port: another server
    expect(offlineCopyOf(get('https://example.com/assets/a.js'), SCOPE)).toBeNull();
    expect(offlineCopyOf(page('http://127.0.0.1:8765/other/'), 'http://127.0.0.1:8765/studio/')).toBeNull();
    expect(offlineCopyOf(get(`${SCOPE}sw.js`), SCOPE)).toBeNull();
    expect(offlineCopyOf(get(`${SCOPE}favicon.ico`), SCOPE)).toBeNull();
    expect(offlineCopyOf(get('not a url'), SCOPE)).toBeNull();
  });

  it('works under a sub-path scope (a reverse proxy)', () => {
    const scope = 'http://localhost:8765/studio/';
    expect(offlineCopyOf(page(`${scope}`), scope)).toEqual({ key: scope });
    expect(offlineCopyOf(get(`${scope}assets/x.js`), scope)).toEqual({ key: `${scope}assets/x.js` });
    expect(offlineCopyOf(get(`${scope}api/events`), scope)).toBeNull();
  });
});

describe('the shell files and old copies', () => {
  it('fetches the page and each asset of the build on install', () => {
    expect(shellUrls(SCOPE, ['index-a.js', 'index-b.css'])).toEqual([
      SCOPE,
      `${SCOPE}assets/index-a.js`,
      `${SCOPE}assets/index-b.css`,
    ]);
  });

  it("drops the copies of earlier builds, and nobody else's caches", () => {
    const names = ['deit-studio-shell-old1', 'deit-studio-shell-new2', 'other-app'];
    expect(staleCaches(names, 'deit-studio-shell-new2', 'deit-studio-shell-')).toEqual(['deit-studio-shell-old1']);
  });
});

describe('rememberReached: a reload keeps knowing that this tab reached the server', () => {
  function memoryStorage() {
    const items = new Map<string, string>();
    return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
  }

  it('notes the first answer, and after a reload a rejected token reads as a restarted server', () => {
    const storage = memoryStorage();
    const before = new ConnectionStatus();
    rememberReached(before, storage);
    expect(storage.getItem(REACHED_KEY)).toBeNull(); // nothing answered yet
    before.restored(); // the first answer
    expect(storage.getItem(REACHED_KEY)).toBe('yes');

    const after = new ConnectionStatus(); // the reloaded page
    rememberReached(after, storage);
    after.lost(); // served from the worker's copy: the server is down
    after.tokenRejected(); // back with a new token
    expect(after.get()).toMatchObject({ state: 'token_rejected', everConnected: true });
  });

  it('a tab that never reached the server still asks for the token', () => {
    const status = new ConnectionStatus();
    rememberReached(status, memoryStorage());
    status.tokenRejected();
    expect(status.get()).toMatchObject({ state: 'token_rejected', everConnected: false });
  });
});
