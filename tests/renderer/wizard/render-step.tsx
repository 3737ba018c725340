import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { setApi } from '../../../renderer/src/api/api';
import { clearThumbnailCache } from '../../../renderer/src/wizard/dataset/thumbnail-cache';
import { WizardProvider, type WizardState } from '../../../renderer/src/wizard/wizard-state';
import { clearWizardState } from '../../../renderer/src/wizard/wizard-storage';
import type { FakeStudioApi } from '../fake-studio-api';

/** Renders one wizard step against an in-memory API, with a fresh wizard state. */
export function renderStep(
  ui: ReactElement,
  { api, initial }: { api: FakeStudioApi; initial?: Partial<WizardState> },
): RenderResult {
  setApi(api);
  return render(<WizardProvider initial={initial ?? {}}>{ui}</WizardProvider>);
}

/** Undoes what a test changed outside React: the API, stored state, the route, caches. */
export function resetWizardTestState(): void {
  setApi(null);
  clearWizardState();
  clearThumbnailCache();
  window.location.hash = '';
}
