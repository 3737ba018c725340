import { useState } from 'react';

/** Copies a text (a command to run) and says so; if the clipboard is refused, asks to copy by hand. */
export function CopyButton({ text, label = 'Copy', name }: { text: string; label?: string; name?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed'); // e.g. a browser that allows the clipboard only on https
    }
  }
  return (
    <span className="copy-button">
      {/* `name` must start with the visible label, so voice-control users can say what they see. */}
      <button type="button" aria-label={name} onClick={() => void copy()}>
        {label}
      </button>
      <span role="status" className="copy-feedback">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Could not copy: select the text and copy it' : ''}
      </span>
    </span>
  );
}
