import { connection, useConnection, type ConnectionStatus } from '../api/connection';
import { TokenForm } from './TokenScreen';

/**
 * Serve mode: says so while the server cannot be reached (it reconnects by itself, and everything on
 * the page is read again once it is back), and says what to do when the server no longer accepts
 * this page's token (it was restarted: each start makes a new one). The status region is always
 * there, so screen readers announce the change; the token problem is an alert.
 */
export function ConnectionBanner({ status = connection }: { status?: ConnectionStatus }) {
  const { state, recoveries, everConnected } = useConnection(status);
  return (
    <>
      <div role="status" className={state === 'reconnecting' ? 'connection-banner' : 'visually-hidden'}>
        {state === 'reconnecting' && (
          <>
            <strong>Connection lost — reconnecting…</strong> DeiT Studio’s server does not answer. Training goes on in
            Docker; this page catches up by itself when the server is back.
          </>
        )}
        {state === 'connected' && recoveries > 0 && 'Connected again.'}
      </div>
      {state === 'token_rejected' && (
        <div role="alert" className="connection-banner connection-banner-error">
          <p className="notice-title">
            {everConnected
              ? 'The server restarted: reload this page with the new address.'
              : 'This page needs the server’s access token.'}
          </p>
          <p>
            Each start of DeiT Studio’s server (<code>npm run serve</code>) makes a new access token. Open the address
            with <code>?token=…</code> that it printed in its terminal, or wrote to its <code>--token-file</code>{' '}
            (through your SSH tunnel, if you use one), in this tab — or paste the token here. Your runs are safe.
          </p>
          <TokenForm label="New access token" submit="Use this token" />
        </div>
      )}
    </>
  );
}
