import { createContext, useContext, useState, type ReactNode } from 'react';

/** What the user has chosen so far in the wizard. */
export interface WizardState {
  datasetPath: string | null;
}

const WizardContext = createContext<[WizardState, (next: WizardState) => void] | null>(null);

/** Holds the wizard's choices across steps. */
export function WizardProvider({ children }: { children: ReactNode }) {
  const value = useState<WizardState>({ datasetPath: null });
  return <WizardContext.Provider value={value}>{children}</WizardContext.Provider>;
}

/** The wizard's choices and their setter. */
export function useWizard(): [WizardState, (next: WizardState) => void] {
  const value = useContext(WizardContext);
  if (!value) throw new Error('useWizard must be used inside <WizardProvider>.');
  return value;
}
