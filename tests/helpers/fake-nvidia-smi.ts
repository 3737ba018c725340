import { fixturePath } from './fixtures';

/** The folder holding the fake `nvidia-smi` that replays recorded H100 output. */
export const FAKE_NVIDIA_SMI_BIN = fixturePath('nvidia-smi', 'bin');

/**
 * An environment with the fake nvidia-smi first on PATH, replaying one recorded variant:
 * 'h100-80gb' (default), 'driver-not-loaded' (exit 9), 'old-driver-470', 'compat-driver-535',
 * 'hot-throttled', 'two-gpus'. `extra` sets FAKE_NVIDIA_SMI_STREAM_END and the like.
 */
export function fakeNvidiaSmiEnv(variant = 'h100-80gb', extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${FAKE_NVIDIA_SMI_BIN}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    FAKE_NVIDIA_SMI_DIR: fixturePath('nvidia-smi', variant),
    ...extra,
  };
}

/** An environment in which no nvidia-smi can be found (like a machine without an NVIDIA driver). */
export function noNvidiaSmiEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: '/nonexistent-deit-env-test' };
}
