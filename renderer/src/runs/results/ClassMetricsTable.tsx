import { useMemo, useState } from 'react';
import type { RunResults } from '@contract';
import { formatCount, formatPercent } from '../../components/format';
import { DataTable, type Column } from '../../components/DataTable';
import { Panel } from '../../components/Panel';

type ClassRow = RunResults['perClass'][number];
type SortKey = keyof ClassRow;

const COLUMNS: Column<ClassRow>[] = [
  { key: 'name', header: 'Class', rowHeader: true, cell: (row) => row.name, sortHint: '' },
  {
    key: 'precision',
    header: 'Precision',
    className: 'run-num',
    cell: (row) => formatPercent(row.precision),
    sortHint: 'of the images predicted as this class, how many were',
  },
  {
    key: 'recall',
    header: 'Recall',
    className: 'run-num',
    cell: (row) => formatPercent(row.recall),
    sortHint: 'of the images of this class, how many were found',
  },
  {
    key: 'f1',
    header: 'F1',
    className: 'run-num',
    cell: (row) => formatPercent(row.f1),
    sortHint: 'balance of precision and recall',
  },
  {
    key: 'support',
    header: 'Images',
    className: 'run-num',
    cell: (row) => (row.support === 0 ? '0 (no validation images: not scored)' : formatCount(row.support)),
    sortHint: 'validation images of this class',
  },
];

function isSortKey(key: string): key is SortKey {
  return COLUMNS.some((col) => col.key === key);
}

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

  function toggle(key: string) {
    if (!isSortKey(key)) return;
    setSort((s) => (s.key === key ? { key, ascending: !s.ascending } : { key, ascending: true }));
  }

  return (
    <Panel
      titleId="run-classes-title"
      title="Per class"
      description="Precision: of the images predicted as a class, the share that were. Recall: of a class’s images, the share found. F1 balances both. Weakest classes first; click a column to sort. A class without validation images is not scored."
    >
      <DataTable
        caption="Metrics per class on the validation images"
        className="run-table"
        scroll
        columns={COLUMNS}
        rows={sorted}
        rowKey={(row) => row.name}
        rowClassName={(row) => (row.support === 0 ? 'run-class-unscored' : undefined)}
        sort={{ ...sort, onSort: toggle }}
      />
    </Panel>
  );
}
