import { useEffect, useState } from 'react';
import type { DatasetScan } from '../../../../electron/contract';
import { formatCount, formatPercent } from '../wizard-format';

const RESPLIT_DELAY_MS = 400;

/**
 * Which images train and which validate: the folder's own train/val split, or an automatic
 * stratified one whose share the user can move (the scan is re-done with the new share).
 */
export function SplitPanel({
  scan,
  onRatioChange,
  busy,
}: {
  scan: DatasetScan;
  onRatioChange: (ratio: number) => void;
  busy: boolean;
}) {
  const train = scan.classes.reduce((sum, c) => sum + c.train, 0);
  const val = scan.classes.reduce((sum, c) => sum + c.val, 0);
  const scanned = scan.split.valRatio ?? 0.2;
  const [ratio, setRatio] = useState(scanned);
  const [seenScanned, setSeenScanned] = useState(scanned);
  if (seenScanned !== scanned) {
    // A new scan result (or a restored one) moves the slider to what was really used.
    setSeenScanned(scanned);
    setRatio(scanned);
  }

  // Arrow keys move the slider in steps: wait until it rests before re-splitting.
  useEffect(() => {
    if (scan.split.kind !== 'auto' || Math.abs(ratio - scanned) < 1e-9) return;
    const timer = setTimeout(() => onRatioChange(ratio), RESPLIT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [ratio, scanned, scan.split.kind, onRatioChange]);

  return (
    <section className="panel" aria-labelledby="split-title" aria-busy={busy}>
      <h2 id="split-title">Training and validation</h2>
      {scan.split.kind === 'existing' ? (
        <p>
          Your folder already has a split (<code>train/</code> and <code>{scan.split.valFolder ?? 'val'}/</code>): DeiT
          Studio uses it as it is.
        </p>
      ) : (
        <>
          <p>
            DeiT Studio holds back a share of each class to measure accuracy on images the model has not trained on. The
            split is stratified (every class keeps the same share) and the same on every run.
          </p>
          <div className="field split-slider">
            <label htmlFor="val-ratio">Validation share: {formatPercent(ratio)}</label>
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
        {busy ? 'Re-splitting…' : `${formatCount(train)} images for training, ${formatCount(val)} for validation.`}
      </p>
    </section>
  );
}
