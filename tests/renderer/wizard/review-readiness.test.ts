import { describe, expect, it } from 'vitest';
import { missingBeforeStart } from '../../../renderer/src/wizard/review/review-readiness';
import type { WizardState } from '../../../renderer/src/wizard/wizard-state';

const machine = { gpuReady: true, cpuFallback: true, imageReady: true, gpuNames: [], gpus: [] };
const state = { machine, device: 'gpu' } as unknown as WizardState;
const check = { settings: null, fieldErrors: {}, otherErrors: [] };

describe('missingBeforeStart: what stands between the user and Start', () => {
  it('asks for the training image when it is missing', () => {
    const texts = missingBeforeStart(state, false, check, null).map((m) => m.text);
    expect(texts).toContain('Prepare the training image on the Environment step.');
  });

  it('names Docker, not the image, while Docker does not answer (image state unknown)', () => {
    const missing = missingBeforeStart(state, false, check, null, true);
    const environment = missing.filter((m) => m.step === 'environment').map((m) => m.text);
    expect(environment).toEqual(['Docker is not answering: start Docker, then check again on the Environment step.']);
  });

  it('says nothing about the environment when the image is ready', () => {
    expect(missingBeforeStart(state, true, check, null).filter((m) => m.step === 'environment')).toEqual([]);
  });
});
