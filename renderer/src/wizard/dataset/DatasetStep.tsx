import { useCallback, useEffect } from 'react';
import type { DatasetScan } from '@contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { FactList } from '../../components/FactList';
import { formatCount, formatDuration, plural } from '../../components/format';
import { StepHeading } from '../StepHeading';
import { useWizard } from '../wizard-state';
import { WizardNav } from '../WizardNav';
import { ClassCounts } from './ClassCounts';
import { datasetBlocker } from './dataset-blocker';
import { ClassSamples } from './ClassSamples';
import { DatasetWarnings } from './DatasetWarnings';
import { FolderChooser } from './FolderChooser';
import { resplit } from './resplit';
import { SampleDatasetOffer } from './SampleDatasetOffer';
import { ScanProgressView } from './ScanProgressView';
import { SimilarImagesPanel } from './SimilarImagesPanel';
import { SplitPanel } from './SplitPanel';
import { useDatasetScanner } from './use-dataset-scan';

/** The layout a user's folder should have, shown before anything is chosen. */
function ExpectedLayout() {
  return (
    <div className="panel expected-layout">
      <h2>What the folder should look like</h2>
      <p>One sub-folder per class, named after it. If you already split your images, use train/ and val/.</p>
      <div className="layouts">
        <pre aria-label="Example: one folder per class">{`my-images/\n  cats/   img001.jpg …\n  dogs/   img002.png …`}</pre>
        <pre aria-label="Example: an existing split">{`my-images/\n  train/  cats/ dogs/\n  val/    cats/ dogs/`}</pre>
      </div>
    </div>
  );
}

/** Folder, image count, classes, scan time. */
function ScanFacts({ scan }: { scan: DatasetScan }) {
  return (
    <FactList
      className="facts"
      label="This dataset"
      facts={[
        { label: 'Folder', value: <code>{scan.root}</code> },
        {
          label: 'Images',
          value:
            `${formatCount(scan.totalImages)} in ${plural(scan.classes.length, 'class', 'classes')}` +
            (scan.skippedTotal > 0 ? ` (${formatCount(scan.skippedTotal)} files left out)` : ''),
        },
        {
          label: 'Layout',
          value:
            scan.layout === 'split'
              ? `${scan.split.trainFolder ?? 'train'}/ and ${scan.split.valFolder ?? 'val'}/ folders`
              : 'one folder per class',
        },
        {
          label: 'Scanned in',
          value: scan.durationMs < 1000 ? `${Math.round(scan.durationMs)} ms` : formatDuration(scan.durationMs / 1000),
        },
      ]}
    />
  );
}

/** Step 2: choose the folder of images, see what it holds, and what deserves a look. */
export function DatasetStep() {
  const { state, update } = useWizard();
  const scanner = useDatasetScanner();
  const { scan } = state;
  const scanning = scanner.scanning;

  // After a reload a very large scan may not have been kept: scan the chosen folder again.
  const needsRescan = state.datasetPath !== null && scan === null && !scanning && !scanner.error && !scanner.stopped;
  const { scan: startScan } = scanner;
  useEffect(() => {
    if (needsRescan && state.datasetPath) startScan(state.datasetPath, state.valRatio);
  }, [needsRescan, state.datasetPath, state.valRatio, startScan]);

  // A new share re-splits the scan in place (the trainer's rule), so counts and chart follow at once.
  const onRatioChange = useCallback(
    (ratio: number) =>
      update((current) => (current.scan ? { scan: resplit(current.scan, ratio), valRatio: ratio } : {})),
    [update],
  );

  const blocker = scan ? datasetBlocker(scan) : null;
  const hint = scanning
    ? 'Wait for the scan to finish.'
    : !scan
      ? 'Choose the folder with your images.'
      : blocker
        ? `${blocker} Choose another folder.`
        : scan.warnings.length > 0
          ? 'Look at the warnings above; you can train anyway. Next: settings.'
          : 'The dataset looks good. Next: choose the model and settings.';

  return (
    <section aria-labelledby="dataset-title" className="wizard-step">
      <StepHeading id="dataset-title">Dataset</StepHeading>
      <p className="lead">
        Choose the folder with your images, one sub-folder per class. DeiT Studio only reads it: nothing in the folder
        is ever moved, changed or deleted.
      </p>

      <FolderChooser
        value={state.folderInput}
        onChange={(folderInput) => update({ folderInput })}
        onChoose={(path) => startScan(path, state.valRatio)}
        busy={scanning !== null}
      />
      <SampleDatasetOffer
        busy={scanning !== null}
        onUse={(sample) => {
          update({ folderInput: sample.path });
          startScan(sample.path, state.valRatio);
        }}
      />

      {scanning && <ScanProgressView path={scanning.path} progress={scanner.progress} onCancel={scanner.cancel} />}
      {scanner.error && !scanning && <ErrorNotice error={scanner.error} />}
      {scanner.stopped && !scanning && <p className="notice">The scan was stopped. Scan a folder to continue.</p>}
      {!scan && !scanning && !scanner.error && <ExpectedLayout />}

      {scan && (
        <>
          <ScanFacts scan={scan} />
          {blocker && (
            <div className="notice notice-error" role="alert">
              <p className="notice-title">This folder cannot be trained on as it is.</p>
              <p>{blocker}</p>
            </div>
          )}
          <DatasetWarnings scan={scan} />
          <SimilarImagesPanel scan={scan} scanning={scanning !== null} />
          {scan.classes.length > 0 && <ClassCounts classes={scan.classes} />}
          <SplitPanel scan={scan} onRatioChange={onRatioChange} />
          <ClassSamples scan={scan} />
        </>
      )}

      <WizardNav
        back={{ to: '/new/environment', label: 'Environment' }}
        next="/new/settings"
        nextLabel="Next: Settings"
        canGoNext={scan !== null && blocker === null && !scanning}
        hint={hint}
      />
    </section>
  );
}
