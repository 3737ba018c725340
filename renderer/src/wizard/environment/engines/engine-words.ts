import type { DescribedEngine } from './use-engine-check';

/**
 * How the Environment step names the engine its checks describe: the subject of its lead ("this machine",
 * "the server ana@gpu1") and a line under the checks' heading. Without an engines list (an older core)
 * the step reads as before. Usage:
 *
 *   const where = engineInWords(describes);   // `Checking ${where.subject}…`
 */
export function engineInWords(engine: DescribedEngine | undefined): { subject: string; note: string | null } {
  if (!engine) return { subject: 'this machine', note: null };
  if (engine.kind === 'local') {
    return { subject: 'this machine', note: 'These checks describe this computer and its Docker Engine.' };
  }
  return {
    subject: `the server ${engine.label}`,
    note: `These checks describe the server ${engine.label}: its Docker Engine, reached over SSH, and its GPUs.`,
  };
}
