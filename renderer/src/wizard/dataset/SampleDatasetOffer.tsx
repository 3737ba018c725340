import type { SampleDataset } from '@contract';
import { api } from '../../api/api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useAsyncAction } from '../../components/use-async-action';

/**
 * "Try with the sample images": the built-in handwritten digits (assets/README.md), unpacked by the
 * core into its data folder and then scanned like any folder. For a first run without data of one's
 * own; on the processor it trains in minutes.
 */
export function SampleDatasetOffer({ onUse, busy }: { onUse: (sample: SampleDataset) => void; busy: boolean }) {
  const preparing = useAsyncAction();

  async function takeSample() {
    const sample = await preparing.run(() => api().call('dataset.sample', {}));
    if (sample) onUse(sample);
  }

  return (
    <div className="sample-offer">
      <p>
        <button
          type="button"
          onClick={() => void takeSample()}
          disabled={busy || preparing.busy}
          aria-describedby="sample-offer-about"
        >
          {preparing.busy ? 'Unpacking the sample images…' : 'Try with the sample images'}
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
      {preparing.error && <ErrorNotice error={preparing.error} />}
    </div>
  );
}
