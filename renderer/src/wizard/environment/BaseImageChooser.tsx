import { useId, useState, type FormEvent } from 'react';
import type { BaseImageCheck, ImageStatus } from '@contract';
import { api, isDesktop } from '../../api/api';
import { useCall } from '../../api/hooks';
import { CopyButton } from '../../components/CopyButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatBytes } from '../../components/format';
import { StatusBadge } from '../../components/StatusBadge';
import { useAsyncAction } from '../../components/use-async-action';
import type { TrainingImage } from './use-training-image';

/** How to make the archive on a machine with internet (the README and docs/engine-environment.md say the same). */
export const SAVE_COMMAND =
  'docker pull pytorch/pytorch:2.6.0-cuda12.4-cudnn9-runtime && ' +
  'docker save pytorch/pytorch:2.6.0-cuda12.4-cudnn9-runtime -o pytorch-2.6.tar';

/** What the check of the base found: fine for PyTorch 2.6, a warning for anything else. */
export function BaseCheckNotice({ check }: { check: BaseImageCheck }) {
  if (check.verdict === 'pytorch_2_6') {
    return (
      <p className="base-check">
        <StatusBadge tone="ok" label="PyTorch 2.6" /> {check.message}
      </p>
    );
  }
  return (
    <div className="notice notice-warning base-check" role="status">
      <p className="notice-title">
        <StatusBadge tone="warn" /> {check.image} is not a recognised PyTorch 2.6 image
      </p>
      <p>{check.message}</p>
    </div>
  );
}

/**
 * The base image the trainer is built on, and the offline ways to get it: "Load the image from a
 * file…" (a `docker save` archive on this machine) and "Use an image already on this engine". The
 * choice is remembered by the core (the app's settings); "Use the default" undoes it.
 */
export function BaseImageChooser({ image, status }: { image: TrainingImage; status: ImageStatus }) {
  const [open, setOpen] = useState<'file' | 'engine' | null>(null);
  const busy = image.pending === 'load' || image.pending === 'use';
  return (
    <div className="base-image">
      <p>
        Base image: <code>{status.baseImage}</code>{' '}
        <span className="muted">{status.baseChosen ? '(your choice)' : '(the default)'}</span>
        {status.baseChosen && status.defaultBaseImage && (
          <>
            {' '}
            <button type="button" onClick={() => image.useBase(null)} disabled={busy}>
              Use the default ({status.defaultBaseImage})
            </button>
          </>
        )}
      </p>
      {status.baseCheck && <BaseCheckNotice check={status.baseCheck} />}
      <p>
        No internet on this machine?{' '}
        <button type="button" aria-expanded={open === 'file'} onClick={() => setOpen(open === 'file' ? null : 'file')}>
          Load the image from a file…
        </button>{' '}
        <button
          type="button"
          aria-expanded={open === 'engine'}
          onClick={() => setOpen(open === 'engine' ? null : 'engine')}
        >
          Use an image already on this engine
        </button>
      </p>
      {open === 'file' && <ArchiveForm onLoad={image.loadArchive} busy={busy} />}
      {open === 'engine' && <LocalImageForm current={status.baseImage} onUse={image.useBase} busy={busy} />}
    </div>
  );
}

function ArchiveForm({ onLoad, busy }: { onLoad: (path: string) => void; busy: boolean }) {
  const [path, setPath] = useState('');
  const picking = useAsyncAction();
  const id = useId();
  const desktop = isDesktop();

  async function pick() {
    const picked = await picking.run(() =>
      api().call('dialog.pickFile', {
        title: 'Choose the image archive (docker save)',
        extensions: ['tar', 'gz', 'tgz'],
      }),
    );
    if (picked?.path) {
      setPath(picked.path);
      onLoad(picked.path);
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (path.trim()) onLoad(path.trim());
  }

  return (
    <div className="base-image-form">
      {desktop && (
        <p>
          <button type="button" className="primary" onClick={() => void pick()} disabled={busy}>
            Choose file…
          </button>{' '}
          or type its path:
        </p>
      )}
      <form className="folder-form" onSubmit={onSubmit}>
        <label className="base-image-path">
          <span>Image archive (.tar from docker save)</span>
          <input
            type="text"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            aria-describedby={id}
            placeholder="/media/usb/pytorch-2.6.tar"
            spellCheck={false}
          />
        </label>
        <button type="submit" className={desktop ? undefined : 'primary'} disabled={busy || path.trim() === ''}>
          Load
        </button>
      </form>
      <p id={id} className="field-hint">
        {desktop ? 'The file' : 'The path is on the computer running DeiT Studio (the server); the file'} is checked
        against its own checksums while it loads. Make it on a machine with internet:
      </p>
      <p className="base-image-command">
        <code>{SAVE_COMMAND}</code> <CopyButton text={SAVE_COMMAND} name="Copy the docker save command" />
      </p>
      {picking.error && <ErrorNotice error={picking.error} />}
    </div>
  );
}

function LocalImageForm({ current, onUse, busy }: { current: string; onUse: (image: string) => void; busy: boolean }) {
  const list = useCall('image.localImages', {});
  const [chosen, setChosen] = useState<string | null>(null);
  const images = list.data?.images ?? [];
  const selected = images.find((i) => i.tag === (chosen ?? current));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (selected) onUse(selected.tag);
  }

  if (list.error) return <ErrorNotice error={list.error} onRetry={list.reload} />;
  if (!list.data) return <p aria-busy="true">Listing the images on this engine…</p>;
  if (images.length === 0) return <p>There are no tagged images on this engine yet: load one from a file.</p>;
  return (
    <form className="base-image-form" onSubmit={onSubmit}>
      <fieldset>
        <legend>Images on this engine</legend>
        <ul className="base-image-list">
          {images.map((i) => (
            <li key={i.tag}>
              <label>
                <input
                  type="radio"
                  name="base-image"
                  value={i.tag}
                  checked={selected?.tag === i.tag}
                  onChange={() => setChosen(i.tag)}
                />{' '}
                <code>{i.tag}</code> <span className="muted">({formatBytes(i.sizeBytes)})</span>{' '}
                {i.recognised && <StatusBadge tone="ok" label="PyTorch 2.6" />}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      {selected && !selected.recognised && (
        <p className="field-hint">
          DeiT Studio does not recognise this name as a PyTorch 2.6 image: it looks inside for PyTorch and warns you if
          the trainer is unlikely to work on it.
        </p>
      )}
      <button type="submit" disabled={busy || !selected || selected.tag === current}>
        {busy ? 'Checking the image…' : 'Use this image'}
      </button>
    </form>
  );
}
