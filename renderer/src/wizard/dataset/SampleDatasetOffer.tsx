import { useState } from 'react';
import type { AppErrorShape, SampleDataset } from '../../../../electron/contract';
import { api } from '../../api/api';
import { ErrorNotice } from '../../components/ErrorNotice';

/**
 * "Try with the sample images": the built-in handwritten digits (assets/README.md), unpacked by the
 * core into its data folder and then scanned like any folder. For a first run without data of one's
 * own; on the processor it trains in minutes.
 */
export function SampleDatasetOffer({ onUse, busy }: { onUse: (sample: SampleDataset) => void; busy: boolean }) {
  const [problem, setProblem] = useState<AppErrorShape | null>(null);
  const [preparing, setPreparing] = useState(false);

  async function takeSample() {
    setProblem(null);
    setPreparing(true);
    const result = await api().call('dataset.sample', {});
    setPreparing(false);
    if (!result.ok) return setProblem(result.error);
    onUse(result.value);
  }

  return (
    <div className="sample-offer">
      <p>
        <button
          type="button"
          onClick={() => void takeSample()}
          disabled={busy || preparing}
          aria-describedby="sample-offer-about"
        >
          {preparing ? 'Unpacking the sample images…' : 'Try with the sample images'}
        </button>{' '}
        <span id="sample-offer-about">
          No images at hand? 1,797 scans of handwritten digits in 10 classes (8×8 pixels): a first model trains in a few
          minutes, also without a GPU.
        </span>
      </p>
      <p className="field-hint">
        Sample images: E. Alpaydin and C. Kaynak, Optical Recognition of Handwritten Digits, UCI Machine Learning
        Repository (CC BY 4.0).
      </p>
      {problem && <ErrorNotice error={problem} />}
    </div>
  );
}
