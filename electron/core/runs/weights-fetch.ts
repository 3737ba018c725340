import type { RunFailure } from '../../contract';
import type { ToolResult } from './tool-container';

/** Why a run could not start when its weights could not be fetched. */
export function weightsFetchFailure(result: ToolResult): RunFailure {
  const failure: RunFailure = {
    cause: 'weights_missing',
    message: result.error?.message ?? 'DeiT Studio could not download the pretrained weights of this model.',
    // Not the trainer's fix: it may suggest options the app does not offer.
    fix: 'Check that this computer can reach huggingface.co (internet connection, proxy), then start the run again.',
  };
  const detail = result.error?.detail ?? (result.tail.length ? result.tail.join('\n') : undefined);
  return detail ? { ...failure, detail } : failure;
}
