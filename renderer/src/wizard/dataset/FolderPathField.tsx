import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { FolderEntry } from '@contract';
import { api } from '../../api/api';

const COMPLETE_DELAY_MS = 150;

/** "/data" → "/", "C:\\data" → "\\": completes with the separator the user is typing. */
function separatorOf(path: string): string {
  return path.includes('\\') && !path.includes('/') ? '\\' : '/';
}

/**
 * A path field that suggests sub-folders as the user types (an ARIA 1.2 combobox): ↓/↑ move through
 * the suggestions, Enter takes one, Tab completes it and lists its sub-folders, Escape closes.
 */
export function FolderPathField({
  value,
  onChange,
  label,
  hintId,
}: {
  value: string;
  onChange: (value: string) => void;
  label: string;
  hintId?: string;
}) {
  const id = useId();
  const listId = `${id}-folders`;
  const [options, setOptions] = useState<FolderEntry[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  // Completions are asked for only after typing, not for a value set from outside (dialog, drop).
  const typed = useRef(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!typed.current || value.trim() === '') return;
    let live = true;
    const timer = setTimeout(() => {
      void api()
        .call('fs.completeFolder', { partial: value })
        .then((result) => {
          if (!live) return;
          const entries = result.ok ? result.value.entries : [];
          setOptions(entries);
          setActive(-1);
          // Suggestions that arrive after the user has moved on (submitted, clicked away) stay closed.
          setOpen(entries.length > 0 && document.activeElement === input.current);
        });
    }, COMPLETE_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [value]);

  function close() {
    setOpen(false);
    setActive(-1);
  }

  function take(entry: FolderEntry) {
    typed.current = false;
    onChange(entry.path);
    close();
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    const count = options.length;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        if (count === 0) return;
        event.preventDefault();
        const down = event.key === 'ArrowDown';
        if (!open) {
          setOpen(true);
          setActive(down ? 0 : count - 1);
        } else {
          setActive((i) => (down ? (i + 1) % count : i <= 0 ? count - 1 : i - 1));
        }
        return;
      }
      case 'Enter':
        // With a suggestion highlighted Enter takes it; otherwise the form is submitted (scan).
        if (open && active >= 0 && options[active]) {
          event.preventDefault();
          take(options[active]);
        }
        return;
      case 'Tab': {
        // Only a highlighted suggestion holds Tab back, once: the next Tab leaves the field.
        const entry = open && active >= 0 ? options[active] : undefined;
        if (!entry || event.shiftKey) return;
        event.preventDefault();
        typed.current = true;
        onChange(entry.path + separatorOf(entry.path));
        close();
        return;
      }
      case 'Escape':
        if (open) {
          event.preventDefault();
          close();
        }
        return;
    }
  }

  const activeId = open && active >= 0 ? `${id}-option-${active}` : undefined;
  return (
    <div className="combobox">
      <label htmlFor={`${id}-input`}>{label}</label>
      <input
        id={`${id}-input`}
        ref={input}
        type="text"
        role="combobox"
        spellCheck={false}
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={activeId}
        aria-describedby={hintId}
        value={value}
        placeholder="/home/you/images"
        onChange={(e) => {
          typed.current = true;
          onChange(e.target.value);
        }}
        onKeyDown={onKeyDown}
        onBlur={close}
      />
      <ul id={listId} role="listbox" aria-label="Matching folders" className="combobox-list" hidden={!open}>
        {options.map((entry, index) => (
          <li
            key={entry.path}
            id={`${id}-option-${index}`}
            role="option"
            aria-selected={index === active}
            className={index === active ? 'active' : undefined}
            // mousedown, not click: the input keeps focus (its blur would close the list first).
            onMouseDown={(e) => {
              e.preventDefault();
              take(entry);
            }}
          >
            <span aria-hidden="true">📁 </span>
            {entry.name}
          </li>
        ))}
      </ul>
      <p className="visually-hidden" aria-live="polite">
        {open ? `${options.length} matching ${options.length === 1 ? 'folder' : 'folders'}. Use the arrow keys.` : ''}
      </p>
    </div>
  );
}
