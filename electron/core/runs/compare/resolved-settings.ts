import type { ResolvedSettings } from '../../../contract';
import { readContainerJson } from '../folder/container-file';
import type { RunFolder } from '../folder/run-folder';
import type { RunMetrics } from '../ingest/run-metrics';

/**
 * What a run actually trained with, for the settings the trainer decides (automatic batch size,
 * learning rate, precision, compile) or overrides (layer-wise lr decay is off from scratch or with a
 * frozen backbone). resolved-config.json is read first: the trainer rewrites it when compile "auto"
 * decides mid-run; run_started (the latest attempt's) fills what it lacks. Both are container-written,
 * so the file is read with the capped, link-refusing reader.
 *
 *   const resolved = await readResolvedSettings(folder, metrics);   // { precision: 'fp32', compile: false, … }
 */
export async function readResolvedSettings(folder: RunFolder, metrics: RunMetrics): Promise<ResolvedSettings> {
  const file = folder.trainerFile('resolved-config.json');
  const config = (await readContainerJson(file, folder.trainerDir).catch(() => null)) as ResolvedFile | null;
  return resolvedFrom(config, metrics.started);
}

interface ResolvedFile {
  train?: { precision?: unknown; compile?: unknown; lr?: unknown };
  resolved?: { global_batch_size?: unknown; batch_size?: unknown };
}

type Started = RunMetrics['started'];

/** The resolved values from resolved-config.json's content and run_started (either may be missing). */
export function resolvedFrom(config: ResolvedFile | null, started: Started): ResolvedSettings {
  const train = config?.train;
  const res = config?.resolved;
  const recipe = started?.recipe as { lr?: unknown; layer_decay?: unknown } | undefined;
  return {
    batchSize: int(res?.global_batch_size) ?? int(started?.global_batch_size) ?? int(res?.batch_size) ?? null,
    learningRate: num(train?.lr) ?? num(recipe?.lr) ?? null,
    layerDecay: num(recipe?.layer_decay) ?? null,
    precision: str(train?.precision) ?? started?.precision ?? null,
    compile: bool(train?.compile) ?? started?.compile ?? null,
  };
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const int = (v: unknown) => (Number.isInteger(v) ? (v as number) : undefined);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const bool = (v: unknown) => (typeof v === 'boolean' ? v : undefined);
