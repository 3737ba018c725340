import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { DatasetScan } from '@contract';
import { draftDefaultsFor, rebaseDraft, sameDefaults, type DraftDefaults } from './settings/draft-defaults';
import { DEFAULT_DRAFT, type SettingsDraft } from './settings/settings-draft';
import { loadWizardState, saveWizardState } from './wizard-storage';

/** What the environment step found out about this machine. */
export interface MachineReadiness {
  /** Training on the GPU works (driver, Docker, GPU access from containers). */
  gpuReady: boolean;
  /** Training on the CPU works (Docker does, the GPU does not). */
  cpuFallback: boolean;
  /** The training image exists. */
  imageReady: boolean;
  /** GPU names, for "expected speed on your …". */
  gpuNames: string[];
  /** The NVIDIA GPUs by driver index, for choosing which ones a run uses. */
  gpus: Array<{ index: number; name: string; memoryMiB: number | null }>;
}

/** What the user has chosen so far in the wizard. */
export interface WizardState {
  machine: MachineReadiness | null;
  /** 'cpu' only once the user chose the slow CPU mode. */
  device: 'gpu' | 'cpu';
  /** What is typed in the folder field. */
  folderInput: string;
  /** The folder chosen for training (scanned, or to be scanned again after a reload). */
  datasetPath: string | null;
  /** Share of images held back for validation when the folder has no train/val split. */
  valRatio: number;
  scan: DatasetScan | null;
  draft: SettingsDraft;
  /** The user has seen the settings step (its defaults count as chosen only then). */
  settingsVisited: boolean;
  /** The machine- and dataset-dependent defaults the draft was last given (draft-defaults.ts). */
  appliedDefaults: DraftDefaults;
  /** The chosen model's pretrained weights are not on this machine and cannot be downloaded (offline). */
  weightsUnavailable: boolean;
}

/** A fresh wizard. */
export const INITIAL_WIZARD_STATE: WizardState = {
  machine: null,
  device: 'gpu',
  folderInput: '',
  datasetPath: null,
  valRatio: 0.2,
  scan: null,
  draft: DEFAULT_DRAFT,
  settingsVisited: false,
  appliedDefaults: draftDefaultsFor('gpu', null),
  weightsUnavailable: false,
};

type Patch = Partial<WizardState> | ((state: WizardState) => Partial<WizardState>);

/** The wizard's choices and how to change them. */
export interface WizardContextValue {
  state: WizardState;
  /** Merges a change into the state (a function gets the newest state). */
  update: (patch: Patch) => void;
  /** Changes some settings fields. */
  updateDraft: (patch: Partial<SettingsDraft>) => void;
}

const WizardContext = createContext<WizardContextValue | null>(null);

/**
 * On the processor the settings' defaults differ, and follow the pictures' size: when the device or
 * the scan changes, draft fields still at the old default take the new one; values the user chose stay.
 */
function followDefaults(state: WizardState): WizardState {
  const next = draftDefaultsFor(state.device, state.scan?.typicalSize, state.weightsUnavailable);
  if (sameDefaults(state.appliedDefaults, next)) return state;
  // Settings copied from a run are the user's choices: the defaults move without them.
  if (state.draft.fromRunId) return { ...state, appliedDefaults: next };
  return { ...state, draft: rebaseDraft(state.draft, state.appliedDefaults, next), appliedDefaults: next };
}

/**
 * Holds the wizard's choices across steps, kept in sessionStorage so a reload keeps them
 * (session, not local: a new window starts a fresh wizard). `initial` replaces what is stored (tests).
 */
export function WizardProvider({ children, initial }: { children: ReactNode; initial?: Partial<WizardState> }) {
  const [state, setState] = useState<WizardState>(() =>
    followDefaults(initial ? { ...INITIAL_WIZARD_STATE, ...initial } : loadWizardState(INITIAL_WIZARD_STATE)),
  );
  useEffect(() => saveWizardState(state), [state]);
  const update = useCallback(
    (patch: Patch) =>
      setState((current) => followDefaults({ ...current, ...(typeof patch === 'function' ? patch(current) : patch) })),
    [],
  );
  const updateDraft = useCallback(
    (patch: Partial<SettingsDraft>) => setState((current) => ({ ...current, draft: { ...current.draft, ...patch } })),
    [],
  );
  const value = useMemo(() => ({ state, update, updateDraft }), [state, update, updateDraft]);
  return <WizardContext.Provider value={value}>{children}</WizardContext.Provider>;
}

/** The wizard's choices and their setters. */
export function useWizard(): WizardContextValue {
  const value = useContext(WizardContext);
  if (!value) throw new Error('useWizard must be used inside <WizardProvider>.');
  return value;
}
