import { ComparedRun, type RunSettingsInput } from '../../../../electron/contract';

/** A contract-valid compared run: `epochs` epochs of falling loss and rising accuracy. */
export function comparedRun(
  id: string,
  over: {
    name?: string;
    settings?: Partial<RunSettingsInput>;
    data?: Partial<ComparedRun['data']>;
    epochs?: number;
    top1?: number;
    results?: boolean;
    perClass?: Array<{ name: string; f1: number | null }>;
    status?: ComparedRun['status'];
    resolved?: ComparedRun['resolved'];
  } = {},
): ComparedRun {
  const n = over.epochs ?? 5;
  const top1 = over.top1 ?? 0.9;
  const settings = {
    datasetPath: '/home/ada/datasets/flowers',
    modelId: 'deit_tiny_patch16_224',
    epochs: n,
    ...over.settings,
  };
  return ComparedRun.parse({
    id,
    name: over.name ?? id,
    status: over.status ?? 'finished',
    createdAt: '2026-01-01T00:00:00.000Z',
    durationS: 60 * n,
    settings,
    ...(over.resolved ? { resolved: over.resolved } : {}),
    data: {
      datasetPath: settings.datasetPath,
      valRatio: (settings.valRatio as number | undefined) ?? 0.2,
      splitSeed: 0,
      splitFrom: null,
      layout: 'class-folders',
      trainCount: 80,
      valCount: 20,
      testCount: 0,
      ...over.data,
    },
    epochs: Array.from({ length: n }, (_, i) => ({
      epoch: i + 1,
      elapsedS: 60 * (i + 1),
      trainLoss: 2 / (i + 2),
      valLoss: 2.2 / (i + 2),
      trainTop1: Math.min(1, 0.5 + i / (2 * n)),
      valTop1: Math.min(1, top1 - 0.3 + (0.3 * (i + 1)) / n),
    })),
    steps: Array.from({ length: n * 4 }, (_, i) => ({
      globalStep: i + 1,
      elapsedS: 15 * (i + 1),
      loss: 2 / (1 + i / 4),
    })),
    headline:
      over.results === false
        ? null
        : {
            split: 'validation',
            count: 20,
            top1,
            top1Interval: [top1 - 0.15, Math.min(1, top1 + 0.05)],
            top5: null,
            balancedAccuracy: top1 - 0.02,
            macroF1: top1 - 0.03,
            classesWithoutImages: [],
          },
    bestEpoch: over.results === false ? null : n,
    perClass:
      over.results === false
        ? []
        : (
            over.perClass ?? [
              { name: 'daisy', f1: top1 },
              { name: 'rose', f1: top1 - 0.1 },
            ]
          ).map((c) => ({ ...c, precision: c.f1, recall: c.f1, support: 10 })),
  });
}
