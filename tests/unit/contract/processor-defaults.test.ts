import { describe, expect, it } from 'vitest';
import { RunSettings } from '../../../electron/contract';
import {
  CPU_EPOCHS,
  roundUpToPatch,
  settingsDefaults,
  suggestedImgSize,
} from '../../../electron/contract/processor-defaults';

describe('suggestedImgSize (an image size that suits the pictures)', () => {
  it.each([
    ['8×8 digit scans', { width: 8, height: 8 }, 32],
    ['28×28 pictures', { width: 28, height: 28 }, 32],
    ['33×40: the shorter side 33, up to 48', { width: 40, height: 33 }, 48],
    ['64×64 icons stay 64', { width: 64, height: 64 }, 64],
    ['100×150: 112', { width: 100, height: 150 }, 112],
    ['500×375 photos: the model’s own 224', { width: 500, height: 375 }, 224],
  ])('%s → %i', (_, size, expected) => {
    expect(suggestedImgSize(size)).toBe(expected);
  });

  it('never exceeds the model’s own size, and is always a size the contract accepts', () => {
    expect(suggestedImgSize({ width: 1000, height: 1000 }, 384)).toBe(384);
    for (let side = 1; side <= 600; side += 7) {
      const size = suggestedImgSize({ width: side, height: side + 3 })!;
      expect(size % 16).toBe(0);
      expect(size).toBeGreaterThanOrEqual(32);
      expect(size).toBeLessThanOrEqual(224);
      expect(RunSettings.shape.imgSize.safeParse(size).success).toBe(true);
    }
  });

  it('is unknown without a size (no scan yet, or a scan from before sizes were kept)', () => {
    expect(suggestedImgSize(null)).toBeNull();
    expect(suggestedImgSize(undefined)).toBeNull();
    expect(suggestedImgSize({ width: 0, height: 5 })).toBeNull();
  });

  it('rounds sizes up to whole 16-pixel patches', () => {
    expect([1, 16, 17, 31, 32, 33].map(roundUpToPatch)).toEqual([16, 16, 32, 32, 32, 48]);
  });
});

describe('settingsDefaults', () => {
  it('on a GPU: DeiT-S at its own size for 10 epochs, whatever the pictures', () => {
    const expected = { modelId: 'deit_small_patch16_224', epochs: 10, imgSize: null, pretrained: true };
    expect(settingsDefaults({ device: 'gpu' })).toEqual(expected);
    expect(settingsDefaults({ device: 'gpu', typicalSize: { width: 8, height: 8 } })).toEqual(expected);
  });

  it('on the processor: DeiT-Ti, the pictures’ size, few epochs', () => {
    expect(settingsDefaults({ device: 'cpu', typicalSize: { width: 8, height: 8 } })).toEqual({
      modelId: 'deit_tiny_patch16_224',
      epochs: CPU_EPOCHS,
      imgSize: 32,
      pretrained: true,
    });
    expect(CPU_EPOCHS).toBeLessThan(10);
  });

  it('offline, with no weights on this machine: from scratch, on either device', () => {
    expect(settingsDefaults({ device: 'cpu', weightsUnavailable: true }).pretrained).toBe(false);
    expect(settingsDefaults({ device: 'gpu', weightsUnavailable: true }).pretrained).toBe(false);
    expect(settingsDefaults({ device: 'gpu', weightsUnavailable: false }).pretrained).toBe(true);
  });

  it('on the processor before a scan: DeiT-Ti at 224', () => {
    expect(settingsDefaults({ device: 'cpu' })).toMatchObject({ modelId: 'deit_tiny_patch16_224', imgSize: 224 });
  });
});
