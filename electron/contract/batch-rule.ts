import type { BatchLimit } from './trainer-protocol';

/**
 * The trainer's automatic batch size rule (docker/deit_trainer/batching.py `choose_batch`), for showing
 * before a run starts what it will choose: the largest multiple of 8 that still gives at least 30
 * optimizer steps per epoch, but never fewer than 16 images (unless the training set itself is
 * smaller) and never more than the largest batch that fits in memory (at most 512 on a GPU, 32 on the
 * CPU). Both sides are tested against docker/protocol/fixtures/batch-rule-cases.json.
 */
export const BATCH_RULE = {
  minSteps: 30,
  minBatch: 16,
  multiple: 8,
  maxAutoBatch: 512,
  cpuBatch: 32,
} as const;

export interface BatchRuleChoice {
  batchSize: number;
  stepsPerEpoch: number;
  limit: BatchLimit;
}

/** Optimizer steps per epoch: every image is used (the trainer fills up the last batch). */
export function stepsPerEpoch(nTrain: number, batchSize: number): number {
  return Math.ceil(nTrain / batchSize);
}

/** The automatic batch size for `nTrain` training images when at most `fitted` images fit in one batch. */
export function chooseBatch(nTrain: number, fitted: number, device: 'cuda' | 'cpu'): BatchRuleChoice {
  if (!Number.isInteger(nTrain) || nTrain < 1) throw new RangeError('there are no training images');
  const { minSteps, minBatch, multiple, maxAutoBatch, cpuBatch } = BATCH_RULE;
  const cap = Math.max(1, Math.min(fitted, device === 'cpu' ? cpuBatch : maxAutoBatch));
  // The largest multiple of 8 with ceil(n / b) >= minSteps.
  const bySteps = Math.floor(Math.floor((nTrain - 1) / (minSteps - 1)) / multiple) * multiple;
  let batchSize: number;
  let limit: BatchRuleChoice['limit'];
  if (nTrain <= minBatch) [batchSize, limit] = [nTrain, 'dataset'];
  else if (bySteps < minBatch) [batchSize, limit] = [minBatch, 'min_batch'];
  else [batchSize, limit] = [bySteps, 'steps'];
  if (cap < batchSize) {
    batchSize = cap;
    limit = device === 'cpu' ? 'cpu' : cap === maxAutoBatch ? 'max' : 'memory';
  }
  return { batchSize, stepsPerEpoch: stepsPerEpoch(nTrain, batchSize), limit };
}

/**
 * The batch on each GPU of a data-parallel run before it starts, as the trainer will choose it
 * (train.py `_choose_batch_size`): each of the `nGpus` processes applies the rule to its share of the
 * training images (⌈n / N⌉); a fixed batch is capped at that share. Automatic: "up to", as GPU memory
 * may lower it. The global batch is this × N. Shared by the GPU panel and the run estimate.
 */
export function perGpuBatch(nTrain: number, nGpus: number, batch: 'auto' | number): number {
  const share = Math.ceil(Math.max(1, nTrain) / Math.max(1, nGpus));
  if (batch !== 'auto') return Math.min(batch, share);
  return chooseBatch(share, BATCH_RULE.maxAutoBatch, 'cuda').batchSize;
}

const count = (n: number) => n.toLocaleString('en-US');
const stepsText = (spe: number, epochs: number) =>
  `${count(spe)} step${spe === 1 ? '' : 's'} per epoch, ${count(spe * epochs)} in all`;

/**
 * The Settings review's line for the batch size, before the run starts. On a GPU the memory part is
 * unknown until the trainer tries it, so an automatic batch is "up to" the rule's choice.
 */
export function describeBatch(nTrain: number, epochs: number, batch: 'auto' | number, device: 'gpu' | 'cpu'): string {
  if (nTrain < 1) return batch === 'auto' ? 'automatic' : String(batch);
  if (batch !== 'auto') {
    const size = Math.min(batch, nTrain);
    const capped = size < batch ? ` (lowered to the ${count(nTrain)} training images)` : '';
    return `${size}${capped}: ${stepsText(stepsPerEpoch(nTrain, size), epochs)}`;
  }
  const onCpu = device === 'cpu';
  const choice = chooseBatch(nTrain, onCpu ? BATCH_RULE.cpuBatch : BATCH_RULE.maxAutoBatch, onCpu ? 'cpu' : 'cuda');
  const why = {
    dataset: 'all training images in one batch',
    min_batch: `the smallest automatic batch (${count(nTrain)} training images)`,
    steps: `the largest giving at least ${BATCH_RULE.minSteps} steps per epoch over ${count(nTrain)} training images`,
    memory: 'what fits in memory',
    max: 'the largest automatic batch',
    cpu: 'the largest automatic batch on the processor',
    config: 'set in the settings',
  }[choice.limit];
  const steps = stepsText(choice.stepsPerEpoch, epochs);
  if (onCpu) return `auto: ${choice.batchSize}, ${why} — ${steps}`;
  return `auto: up to ${choice.batchSize}, fewer if GPU memory is smaller; ${why} — ${steps} at ${choice.batchSize}`;
}
