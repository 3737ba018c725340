import { useId, useState, type DragEvent, type FormEvent } from 'react';
import type { AppErrorShape } from '@contract';
import { api, isDesktop } from '../../api/api';
import { desktopBridge } from '../../api/bridge';
import { ErrorNotice } from '../../components/ErrorNotice';
import { FolderPathField } from './FolderPathField';

/** What a folder chooser says: the dataset step's words unless told otherwise. */
export interface FolderChooserWords {
  label: string;
  submit: string;
  dialogTitle: string;
}

const DATASET_WORDS: FolderChooserWords = {
  label: 'Folder with your images',
  submit: 'Scan folder',
  dialogTitle: 'Choose the folder with your images',
};

/**
 * Where the images are: the native folder dialog and drag-and-drop in the desktop app, and a path
 * field with completion everywhere (the only way in serve mode, where the folder is on the server).
 */
export function FolderChooser({
  value,
  onChange,
  onChoose,
  busy,
  words = DATASET_WORDS,
}: {
  value: string;
  onChange: (value: string) => void;
  /** Use this folder (scan it, classify its images). */
  onChoose: (path: string) => void;
  busy: boolean;
  words?: FolderChooserWords;
}) {
  const desktop = isDesktop();
  const hintId = useId();
  const [problem, setProblem] = useState<AppErrorShape | null>(null);
  const [dragging, setDragging] = useState(false);

  async function pickWithDialog() {
    setProblem(null);
    const result = await api().call('dialog.pickFolder', { title: words.dialogTitle });
    if (!result.ok) return setProblem(result.error);
    if (result.value.path) {
      onChange(result.value.path);
      onChoose(result.value.path);
    }
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    const pathForFile = desktopBridge()?.pathForFile;
    if (!file || !pathForFile) {
      setProblem({
        kind: 'not_available',
        message: 'That could not be used as a folder.',
        fix: 'Drop a folder from your file manager, or choose it with “Choose folder…”.',
      });
      return;
    }
    setProblem(null);
    const path = pathForFile(file);
    onChange(path);
    onChoose(path);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const path = value.trim();
    if (path) onChoose(path);
  }

  return (
    <div
      className={dragging ? 'folder-chooser dragging' : 'folder-chooser'}
      onDragOver={
        desktop
          ? (e) => {
              e.preventDefault();
              setDragging(true);
            }
          : undefined
      }
      onDragLeave={desktop ? () => setDragging(false) : undefined}
      onDrop={desktop ? onDrop : undefined}
    >
      {desktop && (
        <p className="folder-chooser-desktop">
          <button type="button" className="primary" onClick={() => void pickWithDialog()} disabled={busy}>
            Choose folder…
          </button>{' '}
          or drop a folder here, or type its path:
        </p>
      )}
      <form className="folder-form" onSubmit={onSubmit}>
        <FolderPathField value={value} onChange={onChange} label={words.label} hintId={hintId} />
        <button type="submit" className={desktop ? undefined : 'primary'} disabled={busy || value.trim() === ''}>
          {words.submit}
        </button>
      </form>
      <p id={hintId} className="field-hint">
        {desktop
          ? 'Suggestions appear as you type; use ↓ and ↑ to pick one, Tab to go into it.'
          : 'The path is on the computer running DeiT Studio (the server). Suggestions appear as you type; ↓ and ↑ pick one, Tab goes into it.'}
      </p>
      {problem && <ErrorNotice error={problem} />}
    </div>
  );
}
