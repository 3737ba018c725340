import { describeBatch, type DatasetScan, type EngineEntry, type ModelCard, type RunSettings } from '@contract';
import { changedAdvancedCount } from '../settings/AdvancedPanel';
import { DEFAULT_DRAFT, type SettingsDraft } from '../settings/settings-draft';
import { FactList, type FactListProps } from '../../components/FactList';
import { formatCount, formatPercent, plural } from '../../components/format';
import type { WizardState } from '../wizard-state';

/** A summary block with a link back to the step where it is changed. */
function Block({ title, step, facts }: { title: string; step: string; facts: FactListProps['facts'] }) {
  const id = `review-${step}`;
  return (
    <section className="review-block" aria-labelledby={id}>
      <div className="panel-header">
        <h2 id={id}>{title}</h2>
        <a href={`#/new/${step}`}>
          Change<span className="visually-hidden"> {title.toLowerCase()}</span>
        </a>
      </div>
      <FactList className="facts" facts={facts} />
    </section>
  );
}

const ADVANCED_LABELS: Array<[keyof SettingsDraft, string, (d: SettingsDraft) => string]> = [
  ['learningRate', 'Learning rate', (d) => d.learningRate || 'auto'],
  ['augment', 'Augmentation', (d) => d.augment],
  ['precision', 'Precision', (d) => d.precision],
  ['compile', 'Compile', (d) => d.compile],
  ['freezeBackbone', 'Frozen backbone', (d) => (d.freezeBackbone ? 'yes' : 'no')],
  ['earlyStopping', 'Early stopping', (d) => (d.earlyStopping ? `after ${d.earlyStoppingPatience} epochs` : 'off')],
  ['seed', 'Seed', (d) => d.seed],
  ['ema', 'Weight average (EMA)', (d) => (d.ema ? 'on' : 'off')],
  ['layerDecay', 'Layer-wise lr decay', (d) => (Number(d.layerDecay) === 1 ? 'off' : d.layerDecay)],
  ['classBalance', 'Class balance', (d) => (d.classBalance === 'weights' ? 'loss weights' : 'none')],
  ['fromScratch', 'Starting weights', (d) => (d.fromScratch ? 'none — trained from scratch' : 'pretrained')],
];

/** Everything chosen so far, grouped by the step that chose it. */
export function ReviewSummary({
  state,
  imageReady,
  scan,
  card,
  settings,
  engine,
}: {
  state: WizardState;
  imageReady: boolean | null;
  scan: DatasetScan | null;
  card: ModelCard | null;
  settings: RunSettings | null;
  /** The engine the run will start on (`engines.list`'s current one); undefined when the core has none. */
  engine?: EngineEntry;
}) {
  const { machine, draft } = state;
  // The image size has its own row below, so it is not listed again under Advanced.
  const changed = changedAdvancedCount(draft, false);
  // What the trainer's batch rule will choose for these training images (GPU memory is only known at the start).
  const nTrain = scan ? scan.classes.reduce((sum, c) => sum + c.train, 0) : 0;
  const batch =
    settings && nTrain > 0
      ? describeBatch(nTrain, settings.epochs, settings.batchSize, settings.device)
      : draft.batchMode === 'auto'
        ? 'auto (chosen from the training images and GPU memory)'
        : draft.batchSize;
  return (
    <div className="review">
      <Block
        title="Machine"
        step="environment"
        facts={[
          engine?.kind === 'ssh' && { label: 'Where', value: `The server ${engine.label} (over SSH)` },
          {
            label: 'Trains on',
            value: !machine
              ? 'Not checked yet'
              : state.device === 'cpu'
                ? 'The processor — CPU mode (slow)'
                : machine.gpuReady
                  ? `The GPU${machine.gpuNames.length ? `: ${machine.gpuNames.join(', ')}` : ''}`
                  : 'No usable GPU',
          },
          state.device === 'gpu' &&
            (machine?.gpus.length ?? 0) > 1 && {
              label: 'GPUs',
              value: chosenGpusText(draft.gpuIds, machine!.gpus),
            },
          { label: 'Training image', value: (imageReady ?? machine?.imageReady) ? 'Ready' : 'Not ready' },
        ]}
      />
      <Block
        title="Dataset"
        step="dataset"
        facts={[
          { label: 'Folder', value: scan ? <code>{scan.root}</code> : 'Not chosen yet' },
          scan && {
            label: 'Images',
            value: `${formatCount(scan.totalImages)} in ${plural(scan.classes.length, 'class', 'classes')}`,
          },
          scan && {
            label: 'Validation',
            value:
              scan.split.kind === 'existing'
                ? 'the folder’s own val/ images'
                : `${formatPercent(scan.split.valRatio ?? state.valRatio, 0)} of each class, chosen automatically`,
          },
          scan && {
            label: 'Warnings',
            value: scan.warnings.length === 0 ? 'none' : plural(scan.warnings.length, 'warning'),
          },
        ]}
      />
      <Block
        title="Settings"
        step="settings"
        facts={[
          {
            label: 'Model',
            value: card
              ? `${card.title} (${card.family}, ${card.paramsM.toFixed(1)} M parameters)`
              : (draft.modelId ?? 'none'),
          },
          {
            label: 'Image size',
            value: settings ? `${settings.imgSize} px` : draft.imgSize ? `${draft.imgSize} px` : 'the model’s own',
          },
          { label: 'Epochs', value: draft.epochs },
          { label: 'Batch size', value: batch },
          {
            label: 'Advanced',
            value:
              changed === 0 ? (
                'all defaults'
              ) : (
                <ul className="plain-list">
                  {ADVANCED_LABELS.filter(([field]) => draft[field] !== DEFAULT_DRAFT[field]).map(
                    ([field, label, show]) => (
                      <li key={field}>
                        {label}: {show(draft)}
                      </li>
                    ),
                  )}
                </ul>
              ),
          },
        ]}
      />
    </div>
  );
}

/** The GPUs a run trains on, by index and name: "all 4 GPUs" or "2 GPUs: GPU 0 (NVIDIA H100), GPU 1 (…)". */
function chosenGpusText(gpuIds: string[], gpus: Array<{ index: number; name: string }>): string {
  if (gpuIds.length === 0 || gpuIds.length === gpus.length) return `all ${gpus.length} GPUs`;
  const named = gpuIds.map((id) => {
    const name = gpus.find((gpu) => String(gpu.index) === id)?.name;
    return name ? `GPU ${id} (${name})` : `GPU ${id}`;
  });
  return `${gpuIds.length} ${gpuIds.length === 1 ? 'GPU' : 'GPUs'}: ${named.join(', ')}`;
}
