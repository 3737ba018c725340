import type { RunFailure } from '../../contract';
import type { ToolResult } from '../docker/tool-container';

/** The ways forward when the weights cannot be downloaded, in the order a user should try them. */
export const WEIGHTS_FETCH_FIX = [
  'Check that this computer can reach huggingface.co (internet connection; a proxy, if your network needs one).',
  'Set the proxy or a Hugging Face mirror on the Environment page (Network), then start the run again.',
  'Or download the model’s model.safetensors elsewhere and use Import weights… (Settings → Advanced).',
  'Or train from scratch (Settings → Advanced): no download, but a much weaker model on small datasets.',
].join(' ');

/** Why a run could not start when its weights could not be fetched. */
export function weightsFetchFailure(result: ToolResult): RunFailure {
  const failure: RunFailure = {
    cause: 'weights_missing',
    message: result.error?.message ?? 'DeiT Studio could not download the pretrained weights of this model.',
    // Not the trainer's fix: it names command-line options; these are the app's ways forward.
    fix: WEIGHTS_FETCH_FIX,
  };
  const detail = result.error?.detail ?? (result.tail.length ? result.tail.join('\n') : undefined);
  return detail ? { ...failure, detail } : failure;
}
