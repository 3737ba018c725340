import { useMemo, useState } from 'react';
import type { RunResults } from '../../../../electron/contract';
import { formatCount, formatPercent } from '../../components/format';

type ClassRow = RunResults['perClass'][number];
type SortKey = keyof ClassRow;

const COLUMNS: { key: SortKey; label: string; numeric: boolean; hint: string }[] = [
  { key: 'name', label: 'Class', numeric: false, hint: '' },
  { key: 'precision', label: 'Precision', numeric: true, hint: 'of the images predicted as this class, how many were' },
  { key: 'recall', label: 'Recall', numeric: true, hint: 'of the images of this class, how many were found' },
  { key: 'f1', label: 'F1', numeric: true, hint: 'balance of precision and recall' },
  { key: 'support', label: 'Images', numeric: true, hint: 'validation images of this class' },
];

/** Sort order of two cells; empty ones (a class without validation images) always last. */
function compare(x: ClassRow[SortKey], y: ClassRow[SortKey], ascending: boolean): number {
  if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
  const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
  return ascending ? order : -order;
}

/**
 * Precision, recall, F1 and support per class, sortable by any column (buttons in the headers, so
 * keyboard users sort too; aria-sort tells screen readers the order). Starts with the weakest F1.
 * A class without validation images is marked and not scored (its recall and F1 are empty, not 0).
 */
export function ClassMetricsTable({ rows }: { rows: RunResults['perClass'] }) {
  const [sort, setSort] = useState<{ key: SortKey; ascending: boolean }>({ key: 'f1', ascending: true });
  const sorted = useMemo(() => {
    const out = [...rows];
    out.sort((a, b) => compare(a[sort.key], b[sort.key], sort.ascending));
    return out;
  }, [rows, sort]);

  function toggle(key: SortKey) {
    setSort((s) => (s.key === key ? { key, ascending: !s.ascending } : { key, ascending: true }));
  }

  return (
    <section className="panel" aria-labelledby="run-classes-title">
      <h2 id="run-classes-title">Per class</h2>
      <p className="muted">
        Precision: of the images predicted as a class, the share that were. Recall: of a class’s images, the share
        found. F1 balances both. Weakest classes first; click a column to sort. A class without validation images is not
        scored.
      </p>
      <div className="run-table-scroll">
        <table className="run-table">
          <caption className="visually-hidden">Metrics per class on the validation images</caption>
          <thead>
            <tr>
              {COLUMNS.map((col) => {
                const active = sort.key === col.key;
                return (
                  <th
                    key={col.key}
                    scope="col"
                    className={col.numeric ? 'run-num' : undefined}
                    aria-sort={active ? (sort.ascending ? 'ascending' : 'descending') : 'none'}
                  >
                    <button type="button" className="run-sort-button" onClick={() => toggle(col.key)} title={col.hint}>
                      {col.label}
                      <span aria-hidden="true">{active ? (sort.ascending ? '▲' : '▼') : '↕'}</span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {sorted.map((row) => (
              <tr key={row.name} className={row.support === 0 ? 'run-class-unscored' : undefined}>
                <th scope="row">{row.name}</th>
                <td className="run-num">{formatPercent(row.precision)}</td>
                <td className="run-num">{formatPercent(row.recall)}</td>
                <td className="run-num">{formatPercent(row.f1)}</td>
                <td className="run-num">
                  {row.support === 0 ? '0 (no validation images: not scored)' : formatCount(row.support)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
