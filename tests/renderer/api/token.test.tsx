import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { needsToken, setApi } from '../../../renderer/src/api/api';
import {
  TOKEN_KEY,
  authHeader,
  currentToken,
  forgetTokenInMemory,
  saveToken,
  takeTokenFromAddress,
  tokenFromInput,
} from '../../../renderer/src/api/token';
import { App } from '../../../renderer/src/app/App';
import { TokenScreen } from '../../../renderer/src/app/TokenScreen';

// Serve mode's token lives in the page (memory and this tab's sessionStorage) and is sent as
// `Authorization: Bearer`; the printed address `/?token=…` hands it over once and is cleaned.

const TOKEN = 'AbCdEf0123456789-_AbCdEf01234567';

beforeEach(() => {
  sessionStorage.clear();
  forgetTokenInMemory();
  window.history.replaceState(null, '', '/');
});

afterEach(() => {
  sessionStorage.clear();
  forgetTokenInMemory();
  window.history.replaceState(null, '', '/');
  setApi(null);
  vi.unstubAllGlobals();
});

describe('the token bootstrap: the printed address', () => {
  it('keeps the token in sessionStorage and takes it out of the address without a new history entry', () => {
    window.history.replaceState({ kept: 1 }, '', `/?token=${TOKEN}`);
    const entries = window.history.length;
    takeTokenFromAddress();
    expect(window.location.href).toBe(`${window.location.origin}/`);
    expect(window.location.search).toBe('');
    expect(window.history.length).toBe(entries);
    expect(window.history.state).toEqual({ kept: 1 });
    expect(sessionStorage.getItem(TOKEN_KEY)).toBe(TOKEN);
    expect(currentToken()).toBe(TOKEN);
    expect(authHeader()).toEqual({ Authorization: `Bearer ${TOKEN}` });
  });

  it('keeps the rest of the address: other parameters and the route after #', () => {
    window.history.replaceState(null, '', `/?lang=en&token=${TOKEN}#/runs/r1`);
    takeTokenFromAddress();
    expect(`${window.location.pathname}${window.location.search}${window.location.hash}`).toBe('/?lang=en#/runs/r1');
    expect(currentToken()).toBe(TOKEN);
  });

  it('is read back after a reload (a new page in the same tab)', () => {
    window.history.replaceState(null, '', `/?token=${TOKEN}`);
    takeTokenFromAddress();
    forgetTokenInMemory(); // what a reload does to memory; sessionStorage stays with the tab
    expect(currentToken()).toBe(TOKEN);
  });

  it('drops a token that cannot go into a header, but still cleans the address', () => {
    window.history.replaceState(null, '', `/?token=${encodeURIComponent('bad token\u00e9')}`);
    takeTokenFromAddress();
    expect(window.location.search).toBe('');
    expect(currentToken()).toBeNull();
    expect(sessionStorage.getItem(TOKEN_KEY)).toBeNull();
  });

  it('does nothing to an address without a token', () => {
    window.history.replaceState(null, '', '/?lang=en#/runs');
    takeTokenFromAddress();
    expect(`${window.location.search}${window.location.hash}`).toBe('?lang=en#/runs');
    expect(currentToken()).toBeNull();
    expect(authHeader()).toEqual({});
  });

  it('takes a pasted token or the whole printed address, and refuses what cannot be a token', () => {
    expect(tokenFromInput(`  ${TOKEN}\n`)).toBe(TOKEN);
    expect(tokenFromInput(`http://127.0.0.1:8765/?token=${TOKEN}`)).toBe(TOKEN);
    expect(tokenFromInput(`127.0.0.1:8765/?token=${TOKEN}`)).toBe(TOKEN);
    expect(tokenFromInput('http://127.0.0.1:8765/')).toBeNull();
    expect(tokenFromInput('')).toBeNull();
    expect(tokenFromInput('two words')).toBeNull();
    expect(saveToken('caf\u00e9')).toBe(false);
    expect(currentToken()).toBeNull();
  });
});

describe('a page without the token', () => {
  it('shows the token screen instead of the app (serve mode, no token)', () => {
    expect(needsToken()).toBe(true);
    render(<App />);
    expect(screen.getByRole('heading', { level: 1, name: 'DeiT Studio' })).toBeInTheDocument();
    expect(screen.getByText(/This page needs the access token/)).toHaveTextContent('?token=…');
    expect(screen.queryByRole('navigation', { name: 'Steps' })).toBeNull();
  });

  it('does not need one in the desktop window', () => {
    vi.stubGlobal('deitStudio', {});
    expect(needsToken()).toBe(false);
  });

  it('stores a pasted token and reloads; all by keyboard', async () => {
    const user = userEvent.setup();
    const saved = vi.fn();
    const asked: string[] = [];
    render(<TokenScreen onSaved={saved} check={async (t) => (asked.push(t), 'ok')} />);
    await user.tab();
    expect(screen.getByLabelText('Access token')).toHaveFocus();
    await user.keyboard('not a token{Enter}');
    expect(screen.getByRole('alert')).toHaveTextContent('That is not an access token');
    expect(saved).not.toHaveBeenCalled();
    await user.clear(screen.getByLabelText('Access token'));
    await user.keyboard(`${TOKEN}{Enter}`);
    expect(saved).toHaveBeenCalledOnce();
    expect(asked).toEqual([TOKEN]); // the server was asked before the token was kept
    expect(sessionStorage.getItem(TOKEN_KEY)).toBe(TOKEN);
    expect(needsToken()).toBe(false);
  });

  it('says at once when the server does not know the pasted token, and keeps nothing', async () => {
    const user = userEvent.setup();
    const saved = vi.fn();
    render(<TokenScreen onSaved={saved} check={async () => 'wrong'} />);
    await user.type(screen.getByLabelText('Access token'), 'wrong-token-123{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('This is not the token this server printed');
    expect(saved).not.toHaveBeenCalled();
    expect(sessionStorage.getItem(TOKEN_KEY)).toBeNull();
    expect(needsToken()).toBe(true);
  });
});
