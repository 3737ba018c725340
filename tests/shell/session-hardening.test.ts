import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

import { hardenSession } from '../../electron/main/session-hardening';
import { electronModule, fake, resetFakeElectron } from './fake-electron';

describe('session hardening', () => {
  beforeEach(() => {
    resetFakeElectron();
    hardenSession(electronModule.session.defaultSession as never);
  });

  const request = (permission: string, url: string): boolean => {
    let granted: boolean | undefined;
    fake.session.permissionRequest!({ getURL: () => url }, permission, (ok: boolean) => (granted = ok), {});
    return granted!;
  };

  it('denies every permission request from the page except clipboard writes by our renderer', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'fullscreen', 'hid']) {
      expect(request(permission, 'app://renderer/index.html'), permission).toBe(false);
    }
    expect(request('clipboard-sanitized-write', 'app://renderer/index.html')).toBe(true);
    expect(request('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(fake.session.permissionCheck!(null, 'media', 'app://renderer', {})).toBe(false);
    expect(fake.session.permissionCheck!(null, 'clipboard-sanitized-write', 'app://renderer', {})).toBe(true);
  });

  it('cancels requests to the network and to file://, lets app:// and inline data through', () => {
    const cancelled = (url: string): boolean => {
      let result: { cancel?: boolean } = {};
      fake.session.beforeRequest!({ url }, (r) => (result = r));
      return result.cancel === true;
    };
    for (const url of ['https://cdn.example/x.js', 'http://127.0.0.1:8080/', 'wss://x/', 'file:///etc/passwd']) {
      expect(cancelled(url), url).toBe(true);
    }
    for (const url of ['app://renderer/assets/app.js', 'data:image/png;base64,AAAA', 'devtools://devtools/x']) {
      expect(cancelled(url), url).toBe(false);
    }
  });
});
