import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { DatasetClass } from '@contract';
import { formatCount } from '../../components/format';
import { DataTable, type Column } from '../../components/DataTable';
import { Panel } from '../../components/Panel';

const CHART_CLASSES = 30;

const COLUMNS: Column<DatasetClass>[] = [
  { key: 'name', header: 'Class', rowHeader: true, cell: (c) => c.name },
  { key: 'train', header: 'Training', cell: (c) => formatCount(c.train) },
  { key: 'val', header: 'Validation', cell: (c) => formatCount(c.val) },
  { key: 'total', header: 'Total', cell: (c) => formatCount(c.train + c.val) },
];
const TABLE_PAGE = 50;

/** Classes with the most images first (what matters for imbalance). */
function byTotal(classes: DatasetClass[]): DatasetClass[] {
  return [...classes].sort((a, b) => b.train + b.val - (a.train + a.val) || a.name.localeCompare(b.name));
}

/**
 * Images per class: a bar chart of the largest classes (training and validation stacked) and a
 * table of all of them, which is also what screen readers use.
 */
export function ClassCounts({ classes }: { classes: DatasetClass[] }) {
  const [rows, setRows] = useState(TABLE_PAGE);
  const sorted = byTotal(classes);
  const charted = sorted.slice(0, CHART_CLASSES).map((c) => ({ name: c.name, train: c.train, val: c.val }));
  return (
    <Panel titleId="classes-title" title="Classes">
      <p className="panel-intro">
        Each sub-folder is one class.{' '}
        {classes.length > CHART_CLASSES
          ? `The chart shows the ${CHART_CLASSES} largest of ${formatCount(classes.length)} classes; the table lists all.`
          : ''}
      </p>
      <div className="class-chart" aria-hidden="true">
        <BarChart
          responsive
          style={{ width: '100%', height: 48 + 26 * charted.length }}
          data={charted}
          layout="vertical"
          margin={{ top: 4, right: 24, bottom: 4, left: 8 }}
        >
          <CartesianGrid horizontal={false} stroke="var(--border)" />
          <XAxis type="number" allowDecimals={false} stroke="var(--muted)" />
          <YAxis type="category" dataKey="name" width={140} stroke="var(--muted)" interval={0} />
          <Tooltip
            isAnimationActive={false}
            contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)' }}
          />
          <Legend />
          <Bar dataKey="train" name="Training" stackId="split" fill="var(--chart-train)" isAnimationActive={false} />
          <Bar dataKey="val" name="Validation" stackId="split" fill="var(--chart-val)" isAnimationActive={false} />
        </BarChart>
      </div>
      <DataTable
        caption="Images per class, largest first"
        className="class-table"
        columns={COLUMNS}
        rows={sorted.slice(0, rows)}
        rowKey={(c) => c.name}
      />
      {sorted.length > rows && (
        <p>
          and {formatCount(sorted.length - rows)} more classes.{' '}
          <button type="button" onClick={() => setRows(rows + 4 * TABLE_PAGE)}>
            Show more classes
          </button>
        </p>
      )}
    </Panel>
  );
}
