import { useState } from 'react';
import type { DatasetScan, SimilarImages, SimilarPair } from '@contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ProgressMeter } from '../ProgressMeter';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCount, plural } from '../../components/format';
import { DatasetThumbnail } from './DatasetThumbnail';
import { useSimilarImages } from './use-similar-images';
import { Panel } from '../../components/Panel';

/** Pairs shown before "Show all". */
const FIRST_PAIRS = 6;

/** How close two pictures are, in words (the hash differs in `distance` of 64 bits, at most 6). */
function closeness(distance: number): string {
  return distance === 0 ? 'the same picture' : distance <= 3 ? 'nearly the same picture' : 'very similar pictures';
}

/** One image of a pair: preview, path and class. */
function PairImage({ root, path, className }: { root: string; path: string; className: string }) {
  return (
    <figure className="similar-image">
      <DatasetThumbnail root={root} file={path} alt={`${path} (class ${className})`} />
      <figcaption>
        <span className="similar-class">{className}</span>
        <code>{path}</code>
      </figcaption>
    </figure>
  );
}

function PairItem({ root, pair }: { root: string; pair: SimilarPair }) {
  return (
    <li className="similar-pair" aria-label={`${pair.a} and ${pair.b}`}>
      <PairImage root={root} path={pair.a} className={pair.classA} />
      <span className="similar-between">{closeness(pair.distance)}</span>
      <PairImage root={root} path={pair.b} className={pair.classB} />
    </li>
  );
}

/** "12 images compared; 3 not compared (2 BMP, 1 plain colour)". */
function comparedLine(result: SimilarImages): string {
  const { unsupported, undecodable, plain } = result.notCompared;
  const reasons = [
    unsupported > 0 ? `${formatCount(unsupported)} BMP` : null,
    undecodable > 0
      ? `${formatCount(undecodable)} damaged inside (training leaves ${undecodable === 1 ? 'it' : 'them'} out too)`
      : null,
    plain > 0 ? `${formatCount(plain)} of one plain colour` : null,
  ].filter(Boolean);
  const skipped = unsupported + undecodable + plain;
  return `${plural(result.compared, 'image')} compared${skipped > 0 ? `; ${formatCount(skipped)} not compared: ${reasons.join(', ')}` : ''}.`;
}

function Pairs({ result }: { result: SimilarImages }) {
  const [all, setAll] = useState(false);
  const shown = all ? result.pairs : result.pairs.slice(0, FIRST_PAIRS);
  const k = result.pairsTotal;
  return (
    <div className="dataset-warning similar-found">
      <StatusBadge tone="warn" />
      <div>
        <p>
          {k === 1
            ? 'One pair of images in different classes shows'
            : `${formatCount(k)} pairs of images in different classes show`}{' '}
          the same picture, resized or saved again (for example at another JPEG quality). One picture cannot have two
          labels: the model would be taught to answer both.
        </p>
        <p>
          <strong>What you can do: </strong>
          Look at each pair; where it is the same picture, delete the copy from the wrong class and scan again.
        </p>
        <ul className="similar-pairs" aria-label="Near-duplicate pairs">
          {shown.map((pair) => (
            <PairItem key={`${pair.a}\u0000${pair.b}`} root={result.root} pair={pair} />
          ))}
        </ul>
        {result.pairs.length > FIRST_PAIRS && (
          <button type="button" onClick={() => setAll(!all)}>
            {all ? 'Show fewer' : `Show all ${formatCount(result.pairs.length)} pairs`}
          </button>
        )}
        {k > result.pairs.length && <p>The {formatCount(result.pairs.length)} closest pairs are listed.</p>}
      </div>
    </div>
  );
}

/**
 * Near-duplicates across classes: the same picture resized or re-encoded in two classes, found by a
 * perceptual hash of every image after the scan. It runs in the background and does not hold up Next.
 */
export function SimilarImagesPanel({ scan, scanning }: { scan: DatasetScan; scanning: boolean }) {
  const check = useSimilarImages(scan, scanning);
  const { progress, result } = check;
  return (
    <Panel titleId="similar-title" title="Near-duplicates across classes" className="similar-images">
      {check.running && (
        <>
          <ProgressMeter
            label="Near-duplicate check progress"
            fraction={progress && progress.total > 0 ? progress.done / progress.total : null}
          />
          <p role="status">
            Comparing the pictures
            {progress ? `: ${formatCount(progress.done)} of ${formatCount(progress.total)}` : ''}… You can go on
            meanwhile.
          </p>
        </>
      )}
      {check.error && <ErrorNotice error={check.error} />}
      {result && result.pairsTotal === 0 && (
        <p>
          <StatusBadge tone="ok" label="None found" /> No picture appears in two classes, resized or saved again.
        </p>
      )}
      {result && result.pairsTotal > 0 && <Pairs result={result} />}
      {result && <p className="similar-compared">{comparedLine(result)}</p>}
    </Panel>
  );
}
