import { useState } from 'react';
import type { EngineEntry } from '@contract';
import { api } from '../../../api/api';
import type { CallState } from '../../../api/hooks';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { Panel } from '../../../components/Panel';
import { StatusBadge } from '../../../components/StatusBadge';
import { useAsyncAction } from '../../../components/use-async-action';
import { ConfirmDialog } from '../../../runs/ConfirmDialog';
import { AddServerForm } from './AddServerForm';
import './engines.css';

type EngineList = CallState<{ engines: EngineEntry[]; currentId: string }>;

/** What an engine is, in a few words under its name. */
function engineDetail(engine: EngineEntry): string {
  if (engine.kind === 'local') return 'The Docker Engine on the computer running DeiT Studio.';
  return `Docker on the server, over SSH. Host key ${engine.hostKey.fingerprint}`;
}

/**
 * "Where training runs": the Docker engines the app knows (this computer and GPU servers), the one in
 * use marked, a button to use another (the checks below then run on it), to forget a server, and the
 * "Add a GPU server" form.
 */
export function EnginesPanel({ engines }: { engines: EngineList }) {
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<EngineEntry | null>(null);
  const [said, setSaid] = useState('');
  const choose = useAsyncAction();
  const remove = useAsyncAction();
  const data = engines.data;
  // A core without engines (an older serve-mode server): training runs where it always did; say nothing.
  if (!data && engines.error?.kind === 'not_available') return null;

  async function use(engine: EngineEntry) {
    setSaid('');
    const chosen = await choose.run(() => api().call('engines.choose', { id: engine.id }));
    if (!chosen) return;
    setSaid(`Training now runs on ${engine.label}. The checks below look at it again.`);
    engines.reload();
  }

  async function forget(engine: EngineEntry) {
    const removed = await remove.run(() => api().call('engines.remove', { id: engine.id }));
    if (!removed) return; // the refusal (a run is live there) shows in the dialog
    setRemoving(null);
    setSaid(`${engine.label} was removed. Runs made there keep their folders on this computer.`);
    engines.reload();
  }

  return (
    <Panel
      titleId="engines-title"
      title="Where training runs"
      description="On this computer, or on a GPU server you reach with SSH (its Docker Engine trains; nothing else is installed there)."
    >
      {engines.loading && !data && <p>Looking for the Docker engines DeiT Studio knows…</p>}
      {engines.error && !data && <ErrorNotice error={engines.error} onRetry={engines.reload} />}
      {data && (
        <ul className="engine-list" aria-label="Docker engines">
          {data.engines.map((engine) => {
            const current = engine.id === data.currentId;
            const nameId = `engine-${engine.id}`;
            return (
              <li key={engine.id} className={current ? 'engine current' : 'engine'} aria-labelledby={nameId}>
                <div className="engine-body">
                  <h3 id={nameId} className="engine-name">
                    {engine.label}
                  </h3>
                  <p className="engine-detail muted">{engineDetail(engine)}</p>
                </div>
                <div className="engine-actions">
                  {current ? (
                    <StatusBadge tone="ok" label="In use" />
                  ) : (
                    <button type="button" onClick={() => void use(engine)} disabled={choose.busy}>
                      Use<span className="visually-hidden"> {engine.label}</span>
                    </button>
                  )}
                  {engine.kind === 'ssh' && (
                    <button
                      type="button"
                      onClick={() => {
                        remove.clearError();
                        setRemoving(engine);
                      }}
                    >
                      Remove<span className="visually-hidden"> {engine.label}</span>
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <p role="status" className="engine-said">
        {choose.busy ? 'Switching…' : said}
      </p>
      {choose.error && <ErrorNotice error={choose.error} />}
      <button
        type="button"
        className="engine-add-toggle"
        aria-expanded={adding}
        aria-controls="add-server-form"
        onClick={() => {
          setSaid(''); // an earlier "Added …" would read as news about this new attempt
          setAdding(!adding);
        }}
      >
        <span aria-hidden="true">{adding ? '▾ ' : '▸ '}</span>
        Add a GPU server
      </button>
      {adding && (
        <AddServerForm
          onAdded={(engine) => {
            setAdding(false);
            setSaid(`Added ${engine.label}. Training now runs there; the checks below look at it.`);
            engines.reload();
          }}
          onClose={() => setAdding(false)}
        />
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove the server ${removing.label}?`}
          confirmLabel="Remove server"
          busyLabel="Removing…"
          destructive
          busy={remove.busy}
          error={remove.error}
          onConfirm={() => void forget(removing)}
          onCancel={() => setRemoving(null)}
        >
          <p>
            DeiT Studio stops offering it for training. Runs made there keep their folders on this computer, and nothing
            on the server is deleted. You can add it again later.
          </p>
        </ConfirmDialog>
      )}
    </Panel>
  );
}
