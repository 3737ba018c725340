import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { NetworkInfo, NetworkSettings } from '../../../electron/contract';
import { NetworkPanel } from '../../../renderer/src/wizard/environment/NetworkPanel';
import { createFakeApi } from '../fake-studio-api';
import { renderStep, resetWizardTestState } from './render-step';

afterEach(resetWizardTestState);

const none = { value: null, source: 'none' } as const;

function info(saved: NetworkSettings): NetworkInfo {
  const local = saved.httpsProxy?.includes('127.0.0.1');
  return {
    saved,
    effective: {
      httpsProxy: saved.httpsProxy
        ? { value: saved.httpsProxy, source: 'settings' }
        : { value: 'http://env-proxy:3128', source: 'environment' },
      httpProxy: none,
      noProxy: none,
      hfEndpoint: saved.hfEndpoint ? { value: saved.hfEndpoint, source: 'settings' } : none,
    },
    extraCertificates: 2,
    settingsFile: '/data/deit-studio/network.json',
    warnings: local ? ['The HTTPS proxy http://127.0.0.1:3128 is on this computer’s own address.'] : [],
  };
}

test('the network panel shows what comes from the environment and saves a mirror and a proxy', async () => {
  const user = userEvent.setup();
  let saved: NetworkSettings = { httpsProxy: null, httpProxy: null, noProxy: null, hfEndpoint: null };
  const api = createFakeApi({
    'network.get': () => info(saved),
    'network.set': ({ settings }) => {
      saved = settings;
      return info(saved);
    },
  });
  renderStep(<NetworkPanel />, { api });
  const toggle = await screen.findByRole('button', { name: /Network: proxy, mirror, certificates/ });
  expect(toggle).toHaveTextContent('(1 setting in use)');
  await user.click(toggle);
  const proxy = screen.getByRole('textbox', { name: 'HTTPS proxy' });
  expect(proxy).toHaveAttribute('placeholder', 'from the environment: http://env-proxy:3128');
  expect(screen.getByText(/2 certificates this computer trusts/)).toBeVisible();
  await user.type(screen.getByRole('textbox', { name: 'Hugging Face mirror' }), 'https://hf-mirror.example.com');
  await user.type(proxy, 'http://127.0.0.1:3128');
  await user.click(screen.getByRole('button', { name: 'Save network settings' }));
  expect(await screen.findByRole('status')).toHaveTextContent('Saved.');
  expect(api.requests.find((r) => r.name === 'network.set')?.input).toEqual({
    settings: {
      httpsProxy: 'http://127.0.0.1:3128',
      httpProxy: null,
      noProxy: null,
      hfEndpoint: 'https://hf-mirror.example.com',
    },
  });
  expect(await screen.findByText(/is on this computer’s own address/)).toBeVisible();
  expect(toggle).toHaveTextContent('(2 settings in use)');
});

test('an address that is not a proxy URL is explained in place and not saved', async () => {
  const user = userEvent.setup();
  const api = createFakeApi({
    'network.get': () => info({ httpsProxy: null, httpProxy: null, noProxy: null, hfEndpoint: null }),
  });
  renderStep(<NetworkPanel />, { api });
  await user.click(await screen.findByRole('button', { name: /Network/ }));
  const proxy = screen.getByRole('textbox', { name: 'HTTPS proxy' });
  await user.type(proxy, 'proxy.example.com:3128');
  await user.click(screen.getByRole('button', { name: 'Save network settings' }));
  expect(proxy).toHaveAttribute('aria-invalid', 'true');
  expect(proxy).toHaveAccessibleDescription(/Write the proxy as http:\/\/host:port/);
  expect(api.requests.some((r) => r.name === 'network.set')).toBe(false);
});
