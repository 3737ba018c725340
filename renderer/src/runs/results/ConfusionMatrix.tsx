import type { CSSProperties } from 'react';
import type { RunResults } from '@contract';
import { formatCount } from '../../components/format';
import { DataTable, type Column } from '../../components/DataTable';
import { Panel } from '../../components/Panel';

/** Past this many classes a full matrix is unreadable; the most confused pairs are listed instead. */
const MAX_MATRIX_CLASSES = 30;

type Confusion = RunResults['confusion'];

/**
 * The confusion matrix as a real table: rows are true classes, columns predictions, every cell
 * shows its count, and shading (share of the row) only repeats it. Correct predictions (the
 * diagonal) are bold and outlined.
 */
export function ConfusionMatrix({ confusion }: { confusion: Confusion }) {
  const { labels, matrix } = confusion;
  if (labels.length === 0) return null;
  return (
    <Panel titleId="run-confusion-title" title="Confusion matrix">
      {labels.length > MAX_MATRIX_CLASSES ? (
        <ConfusedPairs confusion={confusion} />
      ) : (
        <Matrix labels={labels} matrix={matrix} />
      )}
    </Panel>
  );
}

function Matrix({ labels, matrix }: Confusion) {
  return (
    <>
      <p className="muted" id="run-confusion-help">
        Each row is the true class, each column what the model predicted. The diagonal (bold, outlined) counts correct
        predictions; a darker cell holds a larger share of its row.
      </p>
      <div className="run-table-scroll">
        <table className="run-table run-confusion" aria-describedby="run-confusion-help">
          <caption className="visually-hidden">
            Confusion matrix: rows true class, columns predicted class, cells image counts
          </caption>
          <thead>
            <tr>
              <td />
              {labels.map((label) => (
                <th key={label} scope="col" className="run-num">
                  <span className="visually-hidden">predicted </span>
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((label, r) => {
              const row = matrix[r] ?? [];
              const total = row.reduce((sum, n) => sum + n, 0);
              return (
                <tr key={label}>
                  <th scope="row">
                    <span className="visually-hidden">true </span>
                    {label}
                  </th>
                  {labels.map((_, c) => {
                    const count = row[c] ?? 0;
                    const share = total > 0 ? count / total : 0;
                    return (
                      <td
                        key={c}
                        className={`run-num run-confusion-cell${r === c ? ' run-confusion-correct' : ''}`}
                        style={heat(share)}
                      >
                        {formatCount(count)}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Shading by share of the row; strong cells switch to the accent's text colour to stay readable. */
function heat(share: number): CSSProperties | undefined {
  if (share <= 0) return undefined;
  if (share > 0.55) return { background: 'var(--accent)', color: 'var(--accent-text)' };
  return { background: `color-mix(in srgb, var(--accent) ${Math.round(8 + share * 85)}%, transparent)` };
}

interface ConfusedPair {
  truth: string;
  predicted: string;
  count: number;
}

const PAIR_COLUMNS: Column<ConfusedPair>[] = [
  { key: 'truth', header: 'True class', cell: (p) => p.truth },
  { key: 'predicted', header: 'Predicted as', cell: (p) => p.predicted },
  { key: 'count', header: 'Images', className: 'run-num', cell: (p) => formatCount(p.count) },
];

function ConfusedPairs({ confusion }: { confusion: Confusion }) {
  const pairs: ConfusedPair[] = [];
  confusion.matrix.forEach((row, r) =>
    row.forEach((count, c) => {
      if (r !== c && count > 0) pairs.push({ truth: confusion.labels[r]!, predicted: confusion.labels[c]!, count });
    }),
  );
  pairs.sort((a, b) => b.count - a.count);
  return (
    <>
      <p className="muted">
        With {confusion.labels.length} classes the full matrix is too large to read here (it is in the run folder’s
        eval/metrics.json). These are the pairs the model mixed up most.
      </p>
      <DataTable
        caption="The most confused pairs: true class, predicted class, image count"
        className="run-table"
        columns={PAIR_COLUMNS}
        rows={pairs.slice(0, 20)}
        rowKey={(p) => `${p.truth}→${p.predicted}`}
      />
    </>
  );
}
