import { useEffect, useState } from 'react';
import type { DatasetScan } from '@contract';
import { formatCount, formatPercent } from '../../components/format';
import { resplit } from './resplit';
import { Panel } from '../../components/Panel';

const COMMIT_DELAY_MS = 250;

/** Training and validation images in all. */
function totals(scan: DatasetScan): { train: number; val: number } {
  return scan.classes.reduce((sum, c) => ({ train: sum.train + c.train, val: sum.val + c.val }), { train: 0, val: 0 });
}

/**
 * Which images train and which validate: the folder's own train/val split, or an automatic
 * stratified one whose share the user can move. Counts follow the slider at once (the trainer's
 * per-file rule, counted by the scan; no new scan); the choice is kept once the slider rests.
 */
export function SplitPanel({ scan, onRatioChange }: { scan: DatasetScan; onRatioChange: (ratio: number) => void }) {
  const chosen = scan.split.valRatio ?? 0.2;
  const [ratio, setRatio] = useState(chosen);
  const [seenChosen, setSeenChosen] = useState(chosen);
  if (seenChosen !== chosen) {
    // A new scan (or a restored one) moves the slider to what it really used.
    setSeenChosen(chosen);
    setRatio(chosen);
  }

  // Arrow keys move the slider in steps: keep the choice (and redraw the chart) once it rests.
  useEffect(() => {
    if (scan.split.kind !== 'auto' || Math.abs(ratio - chosen) < 1e-9) return;
    const timer = setTimeout(() => onRatioChange(ratio), COMMIT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [ratio, chosen, scan.split.kind, onRatioChange]);

  const { train, val } = totals(resplit(scan, ratio));
  return (
    <Panel titleId="split-title" title="Training and validation">
      {scan.split.kind === 'existing' ? (
        <p>
          Your folder already has a split (<code>{scan.split.trainFolder ?? 'train'}/</code> and{' '}
          <code>{scan.split.valFolder ?? 'val'}/</code>): DeiT Studio uses it as it is.
        </p>
      ) : (
        <>
          <p>
            DeiT Studio holds back a share of each class to measure accuracy on images the model has not trained on. The
            split is stratified (every class keeps about the same share) and the same on every run: each image's place
            depends only on its own name, so images added later move no other image.
          </p>
          <div className="field split-slider">
            <label htmlFor="val-ratio">Validation share: {formatPercent(ratio, 0)}</label>
            <input
              id="val-ratio"
              type="range"
              min={0.05}
              max={0.5}
              step={0.05}
              value={ratio}
              aria-valuetext={`${Math.round(ratio * 100)} percent of each class for validation`}
              aria-describedby="val-ratio-hint"
              onChange={(e) => setRatio(Number(e.target.value))}
            />
            <p id="val-ratio-hint" className="field-hint">
              20 % suits most datasets; use less when you have few images per class.
            </p>
          </div>
        </>
      )}
      <p className="split-totals" aria-live="polite">
        {formatCount(train)} images for training, {formatCount(val)} for validation.
      </p>
    </Panel>
  );
}
