import { describe, expect, it } from 'vitest';
import { formatDuration, RunSettings } from '../../../../../electron/contract';
import { cpuBatch, estimateCpuRun } from '../../../../../electron/core/runs/estimate/cpu-estimate';
import { probeContainerSpec, probeTimedOutText } from '../../../../../electron/core/runs/estimate/cpu-speed-probe';

const settings = RunSettings.parse({
  datasetPath: '/data/digits',
  modelId: 'deit_tiny_patch16_224',
  epochs: 5,
  imgSize: 32,
  device: 'cpu',
});
const sample = { train: 1437, val: 360 };
const speed = { trainImgPerS: 100, evalImgPerS: 300, cores: 2, busy: false };

describe('estimateCpuRun (from a measured probe)', () => {
  it('is images × epochs ÷ the measured speed, plus evaluation, start and finish', () => {
    const est = estimateCpuRun(settings, sample, speed);
    // 5 × 1,437 / 100 = 71.85 s training; 6 × 360 / 300 = 7.2 s evaluation; 20 + 1,797/800 + 30 s overhead
    // = 131.3 s, rounded to the 10 s an estimate of this size can claim
    expect(est.seconds).toBe(130);
    expect(est.explanation).toContain('about 50 s to start and finish'); // 52.2 s, same rounding and format
    expect(est.memoryGiB).toBeNull();
    expect(est.explanation).toMatch(/^Estimated from timing a few training steps of DeiT-Ti at 32 px/);
    expect(est.explanation).toContain('about 100 images/s with 2 cores');
    expect(est.explanation).toContain('1,437 training images × 5 epochs');
    expect(est.explanation).toContain('longer while the computer does other work');
  });

  it('grows with epochs and shrinks with speed', () => {
    const base = estimateCpuRun(settings, sample, speed).seconds!;
    expect(estimateCpuRun({ ...settings, epochs: 10 }, sample, speed).seconds!).toBeGreaterThan(base);
    expect(estimateCpuRun(settings, sample, { ...speed, trainImgPerS: 400 }).seconds!).toBeLessThan(base);
    expect(estimateCpuRun({ ...settings, freezeBackbone: true }, sample, speed).seconds!).toBeLessThan(base);
  });

  it('says when the processor was busy while it was timed (the figure is then too long)', () => {
    const est = estimateCpuRun(settings, sample, { ...speed, busy: true });
    expect(est.seconds).toBe(estimateCpuRun(settings, sample, speed).seconds);
    expect(est.explanation).toContain('The processor was busy with other work while it was timed');
    expect(est.askAgainInS).toBe(60); // the renderer asks again; the core times the processor again
    expect(estimateCpuRun(settings, sample, speed).askAgainInS).toBeUndefined();
  });

  it('has no figure, but says why and what helps, when the processor could not be timed', () => {
    const est = estimateCpuRun(settings, sample, null, 'the training image is not ready yet');
    expect(est.seconds).toBeNull();
    expect(est.explanation).toContain('could not time DeiT-Ti on this processor: the training image is not ready yet');
    expect(est.explanation).toContain('choose DeiT-Ti, a small image size and few epochs');
  });

  it('reads out very slow rates and long runs plainly', () => {
    const slow = estimateCpuRun(
      { ...settings, modelId: 'deit_base_patch16_384', imgSize: 384, epochs: 10 },
      { train: 10_000, val: 2_000 },
      { trainImgPerS: 0.05, evalImgPerS: 0.15, cores: 1, busy: false },
    );
    expect(slow.explanation).toContain('about 0.05 images/s with 1 core');
    expect(slow.seconds! / 86400).toBeGreaterThan(2);
    expect(formatDuration(200 * 3600)).toBe('8 days 8 h');
    expect(formatDuration(3 * 3600)).toBe('3 h 0 min');
  });
});

describe('a probe that ran out of time', () => {
  it('says the start counts too, that the computer was probably busy, and asks again soon', () => {
    const why = probeTimedOutText(7.9, 2);
    expect(why).toContain('did not finish within 90 seconds, counting the start of its container');
    expect(why).toContain('busy with other work (load average 7.9 on 2 cores)');
    expect(why).not.toContain('steps took more than'); // the old, wrong blame on the steps
    expect(probeTimedOutText(0.3, 2)).not.toContain('load average'); // an idle host: no false figure
    const est = estimateCpuRun(settings, sample, null, why, true);
    expect(est.seconds).toBeNull();
    expect(est.askAgainInS).toBe(60);
    expect(est.explanation).toContain('It times it again in a minute and then shows an estimate.');
    expect(estimateCpuRun(settings, sample, null, 'the image is missing').askAgainInS).toBeUndefined();
  });
});

describe('cpuBatch (what the probe times)', () => {
  it('follows the trainer’s automatic rule on the processor, or the batch set', () => {
    expect(cpuBatch({ batchSize: 'auto' }, 1437)).toBe(32); // capped on the processor
    expect(cpuBatch({ batchSize: 'auto' }, 300)).toBe(16); // at least 16 images
    expect(cpuBatch({ batchSize: 64 }, 1437)).toBe(64);
    expect(cpuBatch({ batchSize: 64 }, 40)).toBe(40);
  });
});

describe('probeContainerSpec', () => {
  it('is locked down: no network, no mounts, no capabilities, the user’s uid:gid, labelled', () => {
    const spec = probeContainerSpec({
      image: 'deit-studio/trainer:abc',
      modelId: 'deit_tiny_patch16_224',
      imgSize: 32,
      batch: 32,
      user: { uid: 1000, gid: 1000 },
      dataDir: '/home/u/.local/share/deit-studio',
      namePrefix: 'deit-studio',
      extraEnv: ['OMP_NUM_THREADS=1'],
    });
    expect(spec.Cmd).toEqual(
      expect.arrayContaining(['probe-speed', '--model', 'deit_tiny_patch16_224', '--img-size', '32']),
    );
    expect(spec.User).toBe('1000:1000');
    expect(spec.Env).toContain('OMP_NUM_THREADS=1');
    expect(spec.HostConfig).toMatchObject({
      NetworkMode: 'none',
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
    });
    expect(spec.HostConfig?.Mounts ?? []).toEqual([]);
    expect(spec.HostConfig?.DeviceRequests ?? []).toEqual([]);
    expect(spec.Labels).toMatchObject({ 'deit-studio.role': 'probe-speed' });
  });
});
