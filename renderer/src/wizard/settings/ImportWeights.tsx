import { useState, type FormEvent } from 'react';
import { WEIGHTS_FILE_EXTENSIONS, type AppErrorShape, type ImportedWeights, type ModelId } from '@contract';
import { api, isDesktop } from '../../api/api';
import { useCall } from '../../api/hooks';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatBytes } from '../../components/format';
import './weights.css';

/**
 * "Import weights…": a .safetensors/.pth file downloaded elsewhere (no internet, a blocked hub) becomes
 * the chosen model's starting weights once the core has checked it against the model. The path is typed
 * (serve mode: a path on the server) or picked with the native dialog (desktop). Shows which weights
 * runs of this model will start from.
 */
export function ImportWeights({ modelId }: { modelId: ModelId }) {
  const status = useCall('weights.status', { modelId });
  const [file, setFile] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<AppErrorShape | null>(null);
  const [done, setDone] = useState<ImportedWeights | null>(null);
  const imported = status.data?.modelId === modelId ? status.data.imported : null;

  async function browse() {
    setProblem(null);
    const result = await api().call('dialog.pickFile', {
      title: 'Choose a weights file (.safetensors or .pth)',
      extensions: [...WEIGHTS_FILE_EXTENSIONS],
    });
    if (!result.ok) return setProblem(result.error);
    if (result.value.path) setFile(result.value.path);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file.trim() || busy) return;
    setBusy(true);
    setProblem(null);
    setDone(null);
    const result = await api().call('weights.import', { modelId, file: file.trim() });
    setBusy(false);
    if (!result.ok) return setProblem(result.error);
    setDone(result.value);
    status.reload();
  }

  async function forget() {
    setProblem(null);
    setDone(null);
    const result = await api().call('weights.removeImported', { modelId, confirm: true });
    if (!result.ok) return setProblem(result.error);
    status.reload();
  }

  return (
    <div className="import-weights">
      <p className="field-hint" aria-live="polite">
        {imported ? (
          <>
            Runs of this model start from your imported file <strong>{imported.file}</strong> (
            {formatBytes(imported.bytes)}, sha256 <code>{imported.sha256.slice(0, 12)}…</code>).{' '}
            <button type="button" className="link-button" onClick={() => void forget()}>
              Use the Hugging Face hub’s weights instead
            </button>
          </>
        ) : status.data?.downloaded ? (
          'The Hugging Face hub’s ImageNet weights of this model are on this computer.'
        ) : (
          'The ImageNet weights of this model are downloaded from the Hugging Face hub when the first run starts. No internet here? Import the file instead.'
        )}
      </p>
      <form className="import-weights-form" onSubmit={(e) => void submit(e)}>
        <label htmlFor="weights-file">Weights file (.safetensors or .pth)</label>
        <div className="path-row">
          <input
            id="weights-file"
            type="text"
            spellCheck={false}
            autoComplete="off"
            placeholder={isDesktop() ? '/home/me/Downloads/model.safetensors' : 'full path of the file on the server'}
            value={file}
            aria-describedby="weights-file-hint"
            onChange={(e) => setFile(e.target.value)}
          />
          {isDesktop() && (
            <button type="button" onClick={() => void browse()}>
              Browse…
            </button>
          )}
          <button type="submit" disabled={!file.trim() || busy} aria-busy={busy || undefined}>
            {busy ? 'Checking the file…' : 'Import weights…'}
          </button>
        </div>
        <p id="weights-file-hint" className="field-hint">
          For example the model’s <code>model.safetensors</code> from huggingface.co/timm. DeiT Studio checks that every
          weight fits {modelId} (the classifier may be anything: it is made anew for your classes) and never changes
          your file.
        </p>
      </form>
      {busy && <p aria-live="polite">Checking the file against {modelId}…</p>}
      {done && (
        <p className="notice notice-ok" role="status">
          Imported {done.file}: it fits {modelId}. Runs of this model start from it.
        </p>
      )}
      {problem && <ErrorNotice error={problem} />}
    </div>
  );
}
