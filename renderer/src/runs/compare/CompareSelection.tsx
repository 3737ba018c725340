import { useCallback, useState } from 'react';
import type { RunSummary } from '@contract';
import { navigate } from '../../app/router';
import { compareHref } from './compare-href';
import './compare.css';

/** At most this many runs are compared at once (the contract's limit). */
export const MAX_COMPARED = 10;

/** Which runs are ticked in the runs list, and the comparison of them (oldest first: the baseline). */
export function useCompareSelection(runs: readonly RunSummary[] | null | undefined) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const toggle = useCallback((id: string, on: boolean) => {
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);
  // Runs deleted meanwhile drop out of the selection.
  const chosen = (runs ?? []).filter((run) => selected.has(run.id));
  const ordered = [...chosen].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((run) => run.id);
  return { selected, toggle, ordered };
}

/** A row's checkbox: "Select “name” to compare"; unticked ones are disabled once 10 are ticked. */
export function CompareCheckbox({
  run,
  checked,
  full,
  onToggle,
}: {
  run: RunSummary;
  checked: boolean;
  full: boolean;
  onToggle: (id: string, on: boolean) => void;
}) {
  return (
    <input
      type="checkbox"
      className="runs-compare-check"
      aria-label={`Select “${run.name}” to compare`}
      checked={checked}
      disabled={!checked && full}
      onChange={(e) => onToggle(run.id, e.target.checked)}
    />
  );
}

/** "Compare 2 runs" above the list; says what to do while fewer than two are ticked. */
export function CompareBar({ ordered }: { ordered: readonly string[] }) {
  const ready = ordered.length >= 2;
  const hint =
    ordered.length === 0
      ? 'Tick two or more runs to compare their settings, curves and results.'
      : ordered.length === 1
        ? 'Tick one more run to compare.'
        : ordered.length >= MAX_COMPARED
          ? `${MAX_COMPARED} runs ticked: the most one comparison shows.`
          : `${ordered.length} runs ticked; the oldest is the baseline at first.`;
  return (
    <div className="runs-compare-bar">
      <button
        type="button"
        className={ready ? 'primary' : undefined}
        aria-disabled={!ready}
        aria-describedby="runs-compare-hint"
        onClick={() => {
          if (ready) navigate(compareHref(ordered).slice(1));
        }}
      >
        {ready ? `Compare ${ordered.length} runs` : 'Compare'}
      </button>{' '}
      <span id="runs-compare-hint" className="muted">
        {hint}
      </span>
    </div>
  );
}
