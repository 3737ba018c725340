import { useState, type FormEvent } from 'react';
import { NetworkSettings, type NetworkInfo } from '@contract';
import { api } from '../../api/api';
import { useCall } from '../../api/hooks';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useAsyncAction } from '../../components/use-async-action';

type Key = keyof NetworkSettings;

const FIELDS: Array<{ key: Key; label: string; placeholder: string; hint: string }> = [
  {
    key: 'httpsProxy',
    label: 'HTTPS proxy',
    placeholder: 'http://proxy.example.com:3128',
    hint: 'Used for the training image build and the weights download (HTTPS_PROXY).',
  },
  {
    key: 'httpProxy',
    label: 'HTTP proxy',
    placeholder: 'http://proxy.example.com:3128',
    hint: 'For plain http addresses (HTTP_PROXY); usually the same as the HTTPS proxy.',
  },
  {
    key: 'noProxy',
    label: 'No proxy for',
    placeholder: 'localhost,.corp.example.com',
    hint: 'Hosts reached directly, comma-separated (NO_PROXY).',
  },
  {
    key: 'hfEndpoint',
    label: 'Hugging Face mirror',
    placeholder: 'https://hf-mirror.example.com',
    hint: 'A mirror of huggingface.co to download the pretrained weights from (HF_ENDPOINT).',
  },
];

function toDraft(info: NetworkInfo): Record<Key, string> {
  return Object.fromEntries(FIELDS.map(({ key }) => [key, info.saved[key] ?? ''])) as Record<Key, string>;
}

/**
 * Environment step: the proxy, mirror and extra certificates the image build and the weights download
 * use. An empty field takes the value from the app's environment (shown as its placeholder).
 */
export function NetworkPanel() {
  const info = useCall('network.get', {});
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<Record<Key, string> | null>(null);
  const saving = useAsyncAction();
  const [saved, setSaved] = useState(false);
  const [invalid, setInvalid] = useState<Partial<Record<Key, string>>>({});
  const data = info.data;
  const values = draft ?? (data ? toDraft(data) : null);
  const inUse = data ? FIELDS.filter(({ key }) => data.effective[key].value).length : 0;

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!values) return;
    saving.clearError();
    setSaved(false);
    // The contract's own rules, checked here so that each field can say what is wrong with it.
    const parsed = NetworkSettings.safeParse(
      Object.fromEntries(FIELDS.map(({ key }) => [key, values[key].trim() || null])),
    );
    if (!parsed.success) {
      return setInvalid(Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message])));
    }
    setInvalid({});
    const stored = await saving.run(() => api().call('network.set', { settings: parsed.data }));
    if (!stored) return;
    setDraft(null);
    setSaved(true);
    info.reload();
  }

  return (
    <section className="panel" aria-labelledby="network-title">
      <h2 id="network-title" className="advanced-heading">
        <button type="button" aria-expanded={open} aria-controls="network-fields" onClick={() => setOpen(!open)}>
          <span aria-hidden="true">{open ? '▾ ' : '▸ '}</span>
          Network: proxy, mirror, certificates
          <span className="advanced-count">
            {!data ? '' : inUse === 0 ? ' (direct connection)' : ` (${inUse} setting${inUse > 1 ? 's' : ''} in use)`}
          </span>
        </button>
      </h2>
      {open && info.error && <ErrorNotice error={info.error} onRetry={info.reload} />}
      {open && data && values && (
        <form id="network-fields" onSubmit={(e) => void save(e)}>
          <p className="field-hint">
            Only needed when this computer reaches the internet through a proxy or cannot reach huggingface.co. Without
            any internet, import a weights file instead (Settings → Advanced).
          </p>
          {FIELDS.map(({ key, label, placeholder, hint }) => {
            const effective = data.effective[key];
            const fromEnv = effective.source === 'environment' ? effective.value : null;
            const error = invalid[key];
            return (
              <div className={error ? 'field field-invalid' : 'field'} key={key}>
                <label htmlFor={`network-${key}`}>{label}</label>
                <input
                  id={`network-${key}`}
                  type="text"
                  spellCheck={false}
                  autoComplete="off"
                  value={values[key]}
                  placeholder={fromEnv ? `from the environment: ${fromEnv}` : placeholder}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `network-${key}-error network-${key}-hint` : `network-${key}-hint`}
                  onChange={(e) => setDraft({ ...values, [key]: e.target.value })}
                />
                {error && (
                  <p id={`network-${key}-error`} className="field-error">
                    <span aria-hidden="true">✕ </span>
                    {error}
                  </p>
                )}
                <p id={`network-${key}-hint`} className="field-hint">
                  {hint}
                  {fromEnv ? ' Empty: the value from the environment.' : ''}
                </p>
              </div>
            );
          })}
          <p className="field-hint">
            {data.extraCertificates > 0
              ? `${data.extraCertificates} certificate${data.extraCertificates > 1 ? 's' : ''} this computer trusts beyond the public ones (a company proxy that inspects encrypted traffic) ${data.extraCertificates > 1 ? 'are' : 'is'} passed to the build and the download.`
              : 'No extra certificates: if a company proxy inspects encrypted traffic, add its certificate to this computer (for example /usr/local/share/ca-certificates on Linux, or NODE_EXTRA_CA_CERTS), then restart DeiT Studio.'}{' '}
            Saved in {data.settingsFile}.
          </p>
          {data.warnings.map((warning) => (
            <p key={warning} className="notice notice-warning">
              {warning}
            </p>
          ))}
          <button type="submit" disabled={draft === null}>
            Save network settings
          </button>
          {saved && (
            <p role="status" className="field-hint">
              Saved. The next weights download uses them; rebuild the training image only if its build failed.
            </p>
          )}
          {saving.error && <ErrorNotice error={saving.error} />}
        </form>
      )}
    </section>
  );
}
