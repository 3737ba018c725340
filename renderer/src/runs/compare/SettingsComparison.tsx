import { useId, useMemo, useState } from 'react';
import type { ComparedRun } from '@contract';
import { Panel } from '../../components/Panel';
import { settingRows } from './compare-settings';

/**
 * Every run's settings in columns, the baseline first; a value that differs from the baseline's is
 * highlighted and marked "differs" in words (colour is not the only cue). "Only what differs" hides
 * the rest.
 */
export function SettingsComparison({ runs, baseline }: { runs: readonly ComparedRun[]; baseline: number }) {
  const rows = useMemo(() => settingRows(runs, baseline), [runs, baseline]);
  const [onlyDiffering, setOnlyDiffering] = useState(false);
  const toggleId = useId();
  const shown = onlyDiffering ? rows.filter((row) => row.anyDiffers) : rows;
  const differing = rows.filter((row) => row.anyDiffers).length;
  return (
    <Panel
      titleId="compare-settings-title"
      title="Settings"
      description={
        differing === 0
          ? 'The runs were started with the same settings.'
          : `${differing} ${differing === 1 ? 'setting differs' : 'settings differ'} from the baseline run (highlighted).`
      }
    >
      <p>
        <input
          id={toggleId}
          type="checkbox"
          checked={onlyDiffering}
          onChange={(e) => setOnlyDiffering(e.target.checked)}
        />{' '}
        <label htmlFor={toggleId}>Only the settings that differ</label>
      </p>
      <div className="run-table-scroll compare-table-scroll">
        <table className="run-table compare-table">
          <caption className="visually-hidden">
            Settings of the compared runs; differences from the baseline marked
          </caption>
          <thead>
            <tr>
              <th scope="col">Setting</th>
              {runs.map((run, i) => (
                <th scope="col" key={run.id}>
                  {run.name}
                  {i === baseline && <span className="muted"> (baseline)</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.key} data-setting={row.key}>
                <th scope="row">{row.label}</th>
                {row.values.map((value, i) => (
                  <td key={runs[i]!.id} className={row.differs[i] ? 'compare-differs' : undefined}>
                    {row.differs[i] ? (
                      <>
                        <strong>{value}</strong>
                        <span className="compare-differs-mark"> — differs</span>
                      </>
                    ) : (
                      value
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}
