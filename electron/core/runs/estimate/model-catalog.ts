import type { ModelCard, ModelId } from '../../../contract';

/** What the app knows about one model, independent of the machine. */
interface ModelFacts {
  title: string;
  family: ModelCard['family'];
  paramsM: number;
  imgSize: number;
  description: string;
  /** Training images per second on an H100 (bf16, compiled, batch 256). */
  h100ImgPerS: number;
  /** GPU memory for training at batch size 64 and the model's image size, GiB (bf16, AdamW). */
  memoryGiBAt64: number;
}

// Anchored on measurements on an H100 (docs/benchmarks.md): DeiT-S 7,754 img/s bf16 compiled,
// DeiT-B ~3,300 (target). Other sizes scale with their compute; distilled models cost ~3% more
// (one more token); the 384 model sees 2.9× the tokens.
const MODELS: Record<ModelId, ModelFacts> = {
  deit_tiny_patch16_224: facts(
    'DeiT-Ti',
    'DeiT',
    5.7,
    224,
    15500,
    2.5,
    'Smallest and fastest; good for a first try or a small GPU.',
  ),
  deit_small_patch16_224: facts(
    'DeiT-S',
    'DeiT',
    22.1,
    224,
    7750,
    4.5,
    'A good default: accurate and fast to fine-tune.',
  ),
  deit_base_patch16_224: facts(
    'DeiT-B',
    'DeiT',
    86.6,
    224,
    3300,
    10,
    'More accurate on hard datasets; needs more GPU memory and time.',
  ),
  deit_tiny_distilled_patch16_224: facts(
    'DeiT-Ti distilled',
    'DeiT distilled',
    5.9,
    224,
    15000,
    2.6,
    'DeiT-Ti trained with a teacher: a little more accurate, same speed.',
  ),
  deit_small_distilled_patch16_224: facts(
    'DeiT-S distilled',
    'DeiT distilled',
    22.4,
    224,
    7500,
    4.7,
    'DeiT-S trained with a teacher: a little more accurate.',
  ),
  deit_base_distilled_patch16_224: facts(
    'DeiT-B distilled',
    'DeiT distilled',
    87.3,
    224,
    3200,
    10.3,
    'DeiT-B trained with a teacher: among the most accurate here.',
  ),
  deit_base_patch16_384: facts(
    'DeiT-B 384',
    'DeiT',
    86.9,
    384,
    1000,
    26,
    'DeiT-B at 384 px for fine detail; slow and memory-hungry.',
  ),
  deit3_small_patch16_224: facts(
    'DeiT III-S',
    'DeiT III',
    22.1,
    224,
    7750,
    4.5,
    'The improved DeiT III recipe, small size.',
  ),
  deit3_base_patch16_224: facts(
    'DeiT III-B',
    'DeiT III',
    86.6,
    224,
    3300,
    10,
    'The improved DeiT III recipe, base size.',
  ),
};

function facts(
  title: string,
  family: ModelCard['family'],
  paramsM: number,
  imgSize: number,
  h100ImgPerS: number,
  memoryGiBAt64: number,
  description: string,
): ModelFacts {
  return { title, family, paramsM, imgSize, description, h100ImgPerS, memoryGiBAt64 };
}

// Training throughput relative to an H100 for transformer training in bf16 (rough public figures;
// first match wins, so longer names come first).
const GPU_SPEED: Array<[RegExp, number]> = [
  [/GH200/i, 1.1],
  [/H200/i, 1.15],
  [/H100/i, 1],
  [/B200/i, 2],
  [/A100/i, 0.45],
  [/L40S/i, 0.45],
  [/RTX 6000 Ada|RTX 6000/i, 0.4],
  [/L40\b/i, 0.38],
  [/RTX 5090/i, 0.55],
  [/RTX 4090/i, 0.38],
  [/RTX 5080/i, 0.33],
  [/RTX 4080/i, 0.26],
  [/A6000/i, 0.22],
  [/RTX 3090/i, 0.2],
  [/RTX 4070/i, 0.18],
  [/RTX 3080/i, 0.16],
  [/A10\b|A10G/i, 0.15],
  [/A5000/i, 0.15],
  [/V100/i, 0.12],
  [/RTX 3070|RTX 3060/i, 0.1],
  [/L4\b/i, 0.1],
  [/T4\b/i, 0.04],
];

/** How fast a GPU trains relative to an H100; null when the GPU is not in the table. */
export function gpuSpeedFactor(gpuName: string): number | null {
  for (const [pattern, factor] of GPU_SPEED) if (pattern.test(gpuName)) return factor;
  return null;
}

/** The facts of one model (title, size, speed on an H100, memory). */
export function modelFacts(modelId: ModelId): ModelFacts {
  return MODELS[modelId];
}

/**
 * Smaller images train faster, but not without bound: below half the model's own size (112 px for the
 * 224 px models) the speed is taken as that of half the size, at most 4× the full-size speed. Smaller
 * steps are bound by per-step and per-kernel costs, not pixels: on the processor DeiT-Ti trained only
 * ~6× faster at 32 px than at 224 px (49× fewer pixels), and on an H100 even DeiT-S at 224 px is bound
 * by kernel launches (23 % MFU) — docs/benchmarks.md. No GPU figure below 224 px is recorded yet.
 */
export const MIN_SPEED_SIZE_FRACTION = 0.5;

/**
 * Expected training speed of a model on ONE GPU at batch 256 (images per second), null when the GPU
 * is unknown. `imgSize` scales it with the number of tokens, down to MIN_SPEED_SIZE_FRACTION.
 */
export function expectedImgPerS(modelId: ModelId, gpuName: string | null, imgSize?: number): number | null {
  const factor = gpuName === null ? null : gpuSpeedFactor(gpuName);
  if (factor === null) return null;
  const model = MODELS[modelId];
  const size = Math.max(imgSize ?? model.imgSize, model.imgSize * MIN_SPEED_SIZE_FRACTION);
  const tokens = (size / model.imgSize) ** 2;
  return Math.round((model.h100ImgPerS * factor) / tokens);
}

/** The model cards shown in the wizard, with speeds on the first of the machine's GPUs. */
export function modelCards(gpuNames: readonly string[]): ModelCard[] {
  return (Object.keys(MODELS) as ModelId[]).map((id) => {
    const f = MODELS[id];
    return {
      id,
      title: f.title,
      family: f.family,
      paramsM: f.paramsM,
      imgSize: f.imgSize,
      description: f.description,
      expectedImgPerS: expectedImgPerS(id, gpuNames[0] ?? null),
      memoryGiBAt64: f.memoryGiBAt64,
    };
  });
}

/** Expected GPU memory of training, GiB: weights and optimizer state plus activations per image. */
export function expectedMemoryGiB(modelId: ModelId, batchSize: number, imgSize?: number): number {
  const f = MODELS[modelId];
  // Weights, gradients, AdamW moments in fp32 (16 bytes a parameter) + ~1 GiB of CUDA context.
  const fixed = (f.paramsM * 1e6 * 16) / 1024 ** 3 + 1;
  const perImage = Math.max(0, f.memoryGiBAt64 - fixed) / 64;
  const tokens = ((imgSize ?? f.imgSize) / f.imgSize) ** 2;
  return Math.round((fixed + perImage * batchSize * tokens) * 10) / 10;
}
