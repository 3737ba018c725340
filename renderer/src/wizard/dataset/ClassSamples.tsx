import { useState } from 'react';
import type { DatasetScan } from '@contract';
import { formatCount } from '../../components/format';
import { DatasetThumbnail } from './DatasetThumbnail';
import { Panel } from '../../components/Panel';

const CLASSES_SHOWN = 12;
const PER_CLASS = 4;

/** The file name of a path relative to the dataset root. */
function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** A few images of each class, to check at a glance that the folders hold what their names say. */
export function ClassSamples({ scan }: { scan: DatasetScan }) {
  const [rows, setRows] = useState(CLASSES_SHOWN);
  const classes = scan.classes.filter((c) => c.samples.length > 0);
  if (classes.length === 0) return null;
  const shown = classes.slice(0, rows);
  return (
    <Panel titleId="samples-title" title="Examples">
      <ul className="sample-rows">
        {shown.map((c) => (
          <li key={c.name} className="sample-row">
            <span className="sample-class">{c.name}</span>
            <span className="sample-images">
              {c.samples.slice(0, PER_CLASS).map((file) => (
                <DatasetThumbnail key={file} root={scan.root} file={file} alt={`${c.name}: ${baseName(file)}`} />
              ))}
            </span>
          </li>
        ))}
      </ul>
      {classes.length > shown.length && (
        <p>
          and {formatCount(classes.length - shown.length)} more classes.{' '}
          <button type="button" onClick={() => setRows(rows + CLASSES_SHOWN)}>
            Show examples of more classes
          </button>
        </p>
      )}
    </Panel>
  );
}
