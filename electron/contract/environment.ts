import { z } from 'zod';
import { call, event } from './define';

export const GpuInfo = z.object({
  name: z.string(),
  vendor: z.string(),
  memoryBytes: z.number().nullable(),
  driverVersion: z.string().nullable(),
});
export type GpuInfo = z.infer<typeof GpuInfo>;

/** A one-time inventory of this machine (systeminformation). */
export const SystemSummary = z.object({
  os: z.object({
    platform: z.string(),
    distro: z.string(),
    release: z.string(),
    arch: z.string(),
    hostname: z.string(),
  }),
  cpu: z.object({ brand: z.string(), cores: z.number(), physicalCores: z.number() }),
  memory: z.object({ totalBytes: z.number(), availableBytes: z.number() }),
  disk: z.object({ path: z.string(), freeBytes: z.number().nullable(), totalBytes: z.number().nullable() }),
  gpus: z.array(GpuInfo),
});
export type SystemSummary = z.infer<typeof SystemSummary>;

export const CheckStatus = z.enum(['ok', 'warning', 'blocking', 'skipped']);
export type CheckStatus = z.infer<typeof CheckStatus>;

/** One line of the environment doctor's checklist. */
export const EnvironmentCheck = z.object({
  id: z.enum(['driver', 'docker', 'gpu-container', 'disk', 'memory']),
  title: z.string(),
  status: CheckStatus,
  message: z.string(),
  /** What to do, in plain words, with a command to copy where there is one. */
  fix: z.object({ text: z.string(), command: z.string().optional() }).optional(),
  detail: z.string().optional(),
});
export type EnvironmentCheck = z.infer<typeof EnvironmentCheck>;

/** One NVIDIA GPU as the driver lists it; `index` is what RunSettings.gpuIds and DeviceIDs take. */
export const NvidiaGpu = z.object({
  index: z.number().int(),
  name: z.string(),
  memoryMiB: z.number().nullable(),
  uuid: z.string(),
  driverVersion: z.string(),
});
export type NvidiaGpu = z.infer<typeof NvidiaGpu>;

export const EnvironmentReport = z.object({
  checkedAt: z.string(),
  checks: z.array(EnvironmentCheck),
  /** The NVIDIA GPUs the driver reports (absent in reports from older versions). */
  gpus: z.array(NvidiaGpu).optional(),
  /** Training on the GPU is possible. */
  gpuReady: z.boolean(),
  /** Training on the CPU (slow) is possible: Docker works, GPU does not. */
  cpuFallback: z.boolean(),
  /** The Docker engine this report describes (absent in older reports: this computer). */
  engine: z.object({ id: z.string(), kind: z.enum(['local', 'ssh']), label: z.string() }).optional(),
});
export type EnvironmentReport = z.infer<typeof EnvironmentReport>;

/** One reading of one GPU; `null` where the driver reports `[N/A]`. */
export const GpuReading = z.object({
  index: z.number().int(),
  name: z.string(),
  utilizationPct: z.number().nullable(),
  memoryUsedMiB: z.number().nullable(),
  memoryTotalMiB: z.number().nullable(),
  temperatureC: z.number().nullable(),
  powerW: z.number().nullable(),
  powerLimitW: z.number().nullable(),
  smClockMHz: z.number().nullable(),
  memClockMHz: z.number().nullable(),
});
export type GpuReading = z.infer<typeof GpuReading>;

/** All GPUs at one moment. */
export const GpuSample = z.object({ time: z.number(), gpus: z.array(GpuReading) });
export type GpuSample = z.infer<typeof GpuSample>;

export const environmentCalls = {
  'environment.summary': call(z.object({}), SystemSummary, 'OS, CPU, memory, free disk and GPUs of this machine.'),
  'environment.check': call(
    z.object({}),
    EnvironmentReport,
    'Runs the environment doctor: driver, Docker, GPU access from containers, disk, memory.',
  ),
  'telemetry.recent': call(
    z.object({ seconds: z.number().int().min(1).max(86400).default(600) }),
    z.array(GpuSample),
    'GPU samples of the last seconds, for a chart that opens late.',
  ),
};

export const environmentEvents = {
  'gpu.sample': event(GpuSample, 'One GPU reading per second while the app is open (none without an NVIDIA GPU).'),
  'gpu.warning': event(
    z.object({ gpuIndex: z.number().int(), code: z.enum(['hot', 'throttled']), message: z.string() }),
    'A GPU runs hot or is throttled.',
  ),
};
