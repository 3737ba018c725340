import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../../../electron/core/images/format-bytes';
import { describeBuildProgress, describePullProgress } from '../../../../electron/core/images/image-progress';
import { parseBuildEvent } from '../../../../electron/core/images/parse-build-event';
import { parsePullEvent } from '../../../../electron/core/images/parse-pull-event';
import { readJsonLinesFixture } from '../../../helpers/fixtures';

describe('parsePullEvent', () => {
  it('finds the disk-full error inside a 200 pull stream', () => {
    const events = readJsonLinesFixture('docker', 'pull-disk-full.jsonl').map(parsePullEvent);
    expect(events.at(-1)).toEqual({ kind: 'error', message: expect.stringContaining('no space left on device') });
  });

  it('reads total -1 and missing totals as unknown, and seconds as seconds', () => {
    expect(parsePullEvent({ status: 'Downloading', progressDetail: { current: 5, total: -1 }, id: 'a' })).toMatchObject(
      { current: 5, total: null },
    );
    expect(parsePullEvent({ status: 'Extracting', progressDetail: { current: 3, units: 's' }, id: 'a' })).toMatchObject(
      { status: 'extracting', seconds: true },
    );
    expect(parsePullEvent({ status: 'Retrying in 5 seconds', id: 'a' })).toMatchObject({ status: 'retrying' });
  });

  it('passes "up to date" pulls as info only', () => {
    const events = readJsonLinesFixture('docker', 'pull-up-to-date.jsonl').map(parsePullEvent);
    expect(events.every((e) => e.kind === 'info')).toBe(true);
  });
});

describe('parseBuildEvent on recorded builds', () => {
  it('reads steps, the image id and the cached build output', () => {
    const events = readJsonLinesFixture('docker', 'build-cached.jsonl').flatMap(parseBuildEvent);
    expect(
      events.filter((e) => e.kind === 'step').map((e) => (e.kind === 'step' ? [e.step, e.steps, e.instruction] : [])),
    ).toEqual([
      [1, 4, 'FROM scratch'],
      [2, 4, 'COPY a.bin /a.bin'],
      [3, 4, 'COPY b.bin /b.bin'],
      [4, 4, 'COPY c.bin /c.bin'],
    ]);
    expect(events).toContainEqual({
      kind: 'image',
      id: 'sha256:44193ef76a544fd4767bcc311b6f3375cad09dde0a9088a52b4e53ddc961a3df',
    });
  });

  it('finds the failing RUN step inside the 200 stream', () => {
    const events = readJsonLinesFixture('docker', 'build-step-failed.jsonl').flatMap(parseBuildEvent);
    expect(events).toContainEqual({ kind: 'log', text: 'hello' });
    expect(events.at(-1)).toEqual({
      kind: 'error',
      message: "The command '/bin/sh -c echo hello && exit 3' returned a non-zero code: 3",
    });
  });
});

describe('progress sentences', () => {
  it('describes a pull for people', () => {
    const progress = describePullProgress({
      layersDone: 2,
      layersTotal: 12,
      bytesDone: 1.2e9,
      bytesTotal: 3.2e9,
      speedBytesPerS: 25e6,
      etaS: 80,
      unpacking: false,
    });
    expect(progress).toMatchObject({
      phase: 'pulling',
      message: 'Downloading the PyTorch base image: 1.2 GB of 3.2 GB (2 of 12 parts done).',
      etaS: 80,
    });
  });

  it('counts build steps as the layers of the build phase', () => {
    expect(
      describeBuildProgress({ kind: 'step', step: 3, steps: 7, instruction: 'RUN pip install timm' }),
    ).toMatchObject({
      phase: 'building',
      layersDone: 2,
      layersTotal: 7,
      message: 'Building the training image: step 3 of 7 (RUN pip install timm).',
    });
  });

  it('formats bytes in decimal units', () => {
    expect([950, 12_345, 12_345_678, 3.2e9].map(formatBytes)).toEqual(['950 B', '12 kB', '12 MB', '3.2 GB']);
  });
});
