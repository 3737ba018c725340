import fs from 'node:fs/promises';
import path from 'node:path';
import type { ModelId } from '../../contract';

const WEIGHT_FILES = ['model.safetensors', 'pytorch_model.bin'];

/** The model's imported weights file (`deit_trainer import-weights`), which training prefers. */
export function importedWeightsFile(weightsDir: string, modelId: ModelId): string {
  return path.join(weightsDir, 'imported', modelId, 'model.safetensors');
}

/**
 * True when the weights folder holds starting weights of the model: imported ones, or the Hugging
 * Face hub cache's (the trainer's HF_HOME): `hub/models--timm--<model>[.<tag>]/snapshots/<revision>/
 * model.safetensors` (or the .bin). Checked on the host so that the weights-fetch step, which needs
 * network, runs only when needed.
 */
export async function hasPretrainedWeights(weightsDir: string, modelId: ModelId): Promise<boolean> {
  const imported = await fs.stat(importedWeightsFile(weightsDir, modelId)).catch(() => null);
  if (imported?.isFile() && imported.size > 0) return true;
  return hasHubWeights(weightsDir, modelId);
}

/** True when the hub cache holds the model's weights (see hasPretrainedWeights). */
export async function hasHubWeights(weightsDir: string, modelId: ModelId): Promise<boolean> {
  const hub = path.join(weightsDir, 'hub');
  const prefix = `models--timm--${modelId}`;
  let repos: string[];
  try {
    repos = (await fs.readdir(hub)).filter((name) => name === prefix || name.startsWith(`${prefix}.`));
  } catch {
    return false;
  }
  for (const repo of repos) {
    const snapshots = path.join(hub, repo, 'snapshots');
    const revisions = await fs.readdir(snapshots).catch(() => [] as string[]);
    for (const revision of revisions) {
      for (const file of WEIGHT_FILES) {
        // stat follows the hub's symlinks into blobs/: a dangling link is not a weight file.
        const stat = await fs.stat(path.join(snapshots, revision, file)).catch(() => null);
        if (stat?.isFile() && stat.size > 0) return true;
      }
    }
  }
  return false;
}
