import { useId, useState } from 'react';
import { checkToken, saveToken, tokenFromInput } from '../api/token';
import './token-screen.css';

/**
 * The access token form: takes the token or the whole printed address, keeps the token for this tab
 * (api/token.ts) and reloads, so the page starts again with it. Keyboard usable: a labelled field and
 * a submit button; a wrong entry is said in an alert next to the field.
 */
export function TokenForm({
  label = 'Access token',
  submit = 'Open DeiT Studio',
  onSaved = () => window.location.reload(),
  check = checkToken,
}: {
  label?: string;
  submit?: string;
  onSaved?: () => void;
  /** Asks the server whether the token is its own (api/token.ts checkToken). */
  check?: (token: string) => Promise<'ok' | 'wrong' | 'unreachable'>;
}) {
  const id = useId();
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  return (
    <form
      className="token-form"
      onSubmit={(event) => {
        event.preventDefault(); // the page handles it; nothing is sent anywhere (CSP: form-action 'none')
        const token = tokenFromInput(value);
        if (!token) {
          setProblem('That is not an access token: paste the part after ?token= of the printed address, or all of it.');
          return;
        }
        setChecking(true);
        void check(token).then((answer) => {
          setChecking(false);
          if (answer === 'wrong') {
            setProblem(
              'This is not the token this server printed. Check the address in its terminal (or its --token-file).',
            );
            return;
          }
          if (answer === 'unreachable') {
            setProblem('The server did not answer. Check that DeiT Studio is still running, then try again.');
            return;
          }
          if (!saveToken(token)) {
            setProblem(
              'That is not an access token: paste the part after ?token= of the printed address, or all of it.',
            );
            return;
          }
          onSaved();
        });
      }}
    >
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="password"
        autoComplete="off"
        spellCheck={false}
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(event) => setValue(event.target.value)}
      />
      <button type="submit" disabled={checking}>
        {checking ? 'Checking…' : submit}
      </button>
      {problem && (
        <p id={`${id}-problem`} role="alert" className="token-form-problem">
          {problem}
        </p>
      )}
    </form>
  );
}

/**
 * Serve mode, opened without the access token (a new tab on the bare address: the token lives in the
 * tab that opened the printed address, never in a cookie): says how to get in instead of starting.
 */
export function TokenScreen({
  onSaved,
  check,
}: {
  onSaved?: () => void;
  check?: (token: string) => Promise<'ok' | 'wrong' | 'unreachable'>;
}) {
  return (
    <main className="token-screen" id="main">
      <h1>DeiT Studio</h1>
      <p>
        This page needs the access token — open the address DeiT Studio printed in its terminal (<code>…?token=…</code>,
        or the one in its <code>--token-file</code>), or paste the token here.
      </p>
      <TokenForm onSaved={onSaved} check={check} />
      <p className="token-screen-hint">
        The token stays in this tab only: another tab needs the printed address (or the token) again.
      </p>
    </main>
  );
}
