import { z } from 'zod';
import { DatasetScan } from '@contract';
import { DraftDefaults } from './settings/draft-defaults';
import { SettingsDraft } from './settings/settings-draft';
import type { WizardState } from './wizard-state';

const KEY = 'deit-studio.wizard.v1';

// A scan of a huge folder can pass sessionStorage's few MiB: then only its path is kept and the
// dataset step scans again after a reload (fast, the scan is the core's).
const MAX_SCAN_CHARS = 1_500_000;

const Stored = z.object({
  machine: z
    .object({
      gpuReady: z.boolean(),
      cpuFallback: z.boolean(),
      imageReady: z.boolean(),
      gpuNames: z.array(z.string()),
      gpus: z
        .array(z.object({ index: z.number().int(), name: z.string(), memoryMiB: z.number().nullable() }))
        .catch([]),
    })
    .nullable()
    .catch(null),
  device: z.enum(['gpu', 'cpu']).catch('gpu'),
  folderInput: z.string().catch(''),
  datasetPath: z.string().nullable().catch(null),
  valRatio: z.number().gt(0).lt(1).catch(0.2),
  scan: DatasetScan.nullable().catch(null),
  draft: SettingsDraft.partial().catch({}),
  settingsVisited: z.boolean().catch(false),
  // Absent (older sessions) or unreadable: the fallback's GPU defaults, from which the draft is re-based.
  appliedDefaults: DraftDefaults.optional().catch(undefined),
  weightsUnavailable: z.boolean().catch(false),
});

function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null; // storage can be switched off; the wizard then simply forgets on reload
  }
}

/** The wizard's choices from this browser session, each part checked; anything unreadable is dropped. */
export function loadWizardState(fallback: WizardState): WizardState {
  const raw = storage()?.getItem(KEY);
  if (!raw) return fallback;
  try {
    const parsed = Stored.partial().safeParse(JSON.parse(raw));
    if (!parsed.success) return fallback;
    const stored = parsed.data;
    return {
      ...fallback,
      ...Object.fromEntries(Object.entries(stored).filter(([, value]) => value !== undefined)),
      draft: { ...fallback.draft, ...stored.draft },
    };
  } catch {
    return fallback;
  }
}

/** Keeps the wizard's choices for this browser session. */
export function saveWizardState(state: WizardState): void {
  const store = storage();
  if (!store) return;
  let json = JSON.stringify(state);
  if (json.length > MAX_SCAN_CHARS) json = JSON.stringify({ ...state, scan: null });
  try {
    store.setItem(KEY, json);
  } catch {
    // Quota exceeded: keep what fits (the scan is re-done from the path).
    try {
      store.setItem(KEY, JSON.stringify({ ...state, scan: null }));
    } catch {
      /* nothing more to do: choices are simply not kept across a reload */
    }
  }
}

/** Forgets the stored wizard (tests, and "start over"). */
export function clearWizardState(): void {
  storage()?.removeItem(KEY);
}
