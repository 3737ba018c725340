/**
 * IPC channel names shared by the main process and the preload. Plain strings with no Electron or zod
 * import, so the sandboxed preload bundle stays small.
 */
const PREFIX = 'deit-studio';

/** The channel `ipcMain.handle` serves for one contract call. */
export function callChannel(name: string): string {
  return `${PREFIX}:call:${name}`;
}

/** The channel one contract event is sent on. */
export function eventChannel(name: string): string {
  return `${PREFIX}:event:${name}`;
}

/** The call and event names of the contract, as the main process hands them to the preload. */
export interface ContractNames {
  calls: string[];
  events: string[];
}

/**
 * Command-line switch carrying the contract's names to the preload (`webPreferences.additionalArguments`
 * ends up in the renderer's `process.argv`). This keeps the contract (and zod) out of the preload bundle
 * while the names still come from one place.
 */
export const CONTRACT_NAMES_SWITCH = `--${PREFIX}-contract=`;

const NAME = /^[a-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/;

/** Encodes the names as one command-line argument. */
export function contractNamesArgument(names: ContractNames): string {
  return CONTRACT_NAMES_SWITCH + encodeURIComponent(JSON.stringify(names));
}

/** Reads the names back from `process.argv`; empty lists when absent or malformed (every call is then refused). */
export function readContractNames(argv: readonly string[]): ContractNames {
  const empty: ContractNames = { calls: [], events: [] };
  const arg = argv.find((a) => a.startsWith(CONTRACT_NAMES_SWITCH));
  if (!arg) return empty;
  try {
    const parsed: unknown = JSON.parse(decodeURIComponent(arg.slice(CONTRACT_NAMES_SWITCH.length)));
    const names = parsed as Partial<ContractNames>;
    const valid = (list: unknown): list is string[] =>
      Array.isArray(list) && list.every((n) => typeof n === 'string' && NAME.test(n));
    if (!valid(names.calls) || !valid(names.events)) return empty;
    return { calls: names.calls, events: names.events };
  } catch {
    return empty;
  }
}
