import type { ReactNode } from 'react';

interface FieldBase {
  id: string;
  label: string;
  /** One line: what the setting does and what its default means. */
  hint: ReactNode;
  error?: string;
}

/** Ids of the hint and (when invalid) the error, for aria-describedby. */
export function describedBy(id: string, error?: string): string {
  return error ? `${id}-error ${id}-hint` : `${id}-hint`;
}

/** A field's error (when there is one) and its hint, with the ids its input's aria-describedby names. */
export function FieldNotes({ id, hint, error }: { id: string; hint: ReactNode; error?: string }) {
  return (
    <>
      {error && (
        <p id={`${id}-error`} className="field-error">
          <span aria-hidden="true">✕ </span>
          {error}
        </p>
      )}
      <p id={`${id}-hint`} className="field-hint">
        {hint}
      </p>
    </>
  );
}

/** A labelled text input with its explanation; invalid values are marked and explained in place. */
export function TextField({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  placeholder,
  numeric,
  disabled,
}: FieldBase & {
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  /** Opens a number keyboard on touch screens; the value stays text so a wrong entry can be shown. */
  numeric?: 'numeric' | 'decimal';
  disabled?: boolean;
}) {
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode={numeric}
        spellCheck={false}
        autoComplete="off"
        value={value}
        placeholder={placeholder}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error)}
        onChange={(e) => onChange(e.target.value)}
      />
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}

/** A labelled choice from a short list. */
export function SelectField<V extends string>({
  id,
  label,
  hint,
  error,
  value,
  options,
  onChange,
}: FieldBase & { value: V; options: ReadonlyArray<{ value: V; label: string }>; onChange: (value: V) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error)}
        onChange={(e) => onChange(e.target.value as V)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}

/** A labelled on/off setting. */
export function CheckboxField({
  id,
  label,
  hint,
  checked,
  onChange,
  children,
}: Omit<FieldBase, 'error'> & { checked: boolean; onChange: (checked: boolean) => void; children?: ReactNode }) {
  return (
    <div className="field field-checkbox">
      <label className="checkbox" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={checked}
          aria-describedby={`${id}-hint`}
          onChange={(e) => onChange(e.target.checked)}
        />
        {label}
      </label>
      {children}
      <FieldNotes id={id} hint={hint} />
    </div>
  );
}
