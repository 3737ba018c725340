import { AttentionMap } from '../../../contract';
import { CAPS, readContainerJson } from '../folder/container-file';

/**
 * The trainer's attention-rollout files (docs/run-folder.md): eval/attention.json beside the
 * misclassified list, `<name>.attention.json` beside a predictions CSV. `{"method", "maps": {image
 * path: {grid, cls, dist?}}}`. Read capped, never through a link (container-file.ts); each map is
 * validated on its own (grid at most 64×64, one byte per patch) and a bad one is left out. A missing
 * or refused file means no maps: runs from before maps existed, and models that are not ViTs, have none.
 */
export async function readAttentionMaps(file: string, within: string): Promise<Map<string, AttentionMap>> {
  const raw = await readContainerJson(file, within, CAPS.json); // null when missing, refused or not JSON
  const maps = new Map<string, AttentionMap>();
  const entries = (raw as { maps?: unknown } | null)?.maps;
  if (!entries || typeof entries !== 'object' || Array.isArray(entries)) return maps;
  for (const [key, value] of Object.entries(entries as Record<string, unknown>)) {
    const parsed = AttentionMap.safeParse(value);
    if (parsed.success) maps.set(key, parsed.data);
  }
  return maps;
}

/** predictions/x.csv -> predictions/x.attention.json (the trainer's predict.attention_path). */
export function attentionPathOf(csvPath: string): string {
  return `${csvPath.replace(/\.csv$/i, '')}.attention.json`;
}
