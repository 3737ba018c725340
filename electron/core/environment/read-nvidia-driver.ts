import fs from 'node:fs/promises';
import type { NvidiaSmi } from './nvidia-smi';
import { GPU_INVENTORY_FIELDS, parseGpuInventory, parseProcDriverVersion, type DetectedGpu } from './parse-nvidia-smi';

/** What the NVIDIA driver on this machine says about itself. */
export type DriverReading =
  | { state: 'ok'; driverVersion: string; gpus: DetectedGpu[] }
  /** No nvidia-smi; /proc/driver/nvidia/version may still name a loaded driver. */
  | { state: 'missing'; procVersion: string | null }
  /** nvidia-smi exit 9: installed but the kernel module is not loaded. */
  | { state: 'not_loaded'; detail: string }
  /** Updated driver, old module still loaded: needs a reboot. */
  | { state: 'mismatch'; detail: string }
  /** Driver loaded but no GPU answers (exit 6, "No devices were found"). */
  | { state: 'no_gpu'; detail: string }
  | { state: 'failed'; detail: string };

/** Where the kernel module reports its version on Linux. */
export const PROC_DRIVER_VERSION = '/proc/driver/nvidia/version';

async function readProcVersion(procPath: string): Promise<string | null> {
  try {
    return parseProcDriverVersion(await fs.readFile(procPath, 'utf8'));
  } catch {
    return null;
  }
}

/** Asks nvidia-smi for the driver version and GPUs, and classifies its failures by exit code and text. */
export async function readNvidiaDriver(smi: NvidiaSmi, procPath = PROC_DRIVER_VERSION): Promise<DriverReading> {
  const result = await smi.run([`--query-gpu=${GPU_INVENTORY_FIELDS.join(',')}`, '--format=csv,noheader,nounits']);
  const text = `${result.stdout}\n${result.stderr}`.trim();
  if (result.missing) return { state: 'missing', procVersion: await readProcVersion(procPath) };
  if (result.timedOut) return { state: 'failed', detail: 'nvidia-smi did not answer within 15 seconds.' };
  if (result.code === 9 || /couldn't communicate with the NVIDIA driver/i.test(text)) {
    return { state: 'not_loaded', detail: text };
  }
  if (/version mismatch/i.test(text)) return { state: 'mismatch', detail: text };
  if (result.code === 6 || /No devices were found/i.test(text)) return { state: 'no_gpu', detail: text };
  const gpus = parseGpuInventory(result.stdout);
  const first = gpus[0];
  if (result.code !== 0 || !first) return { state: 'failed', detail: `nvidia-smi exited with ${result.code}: ${text}` };
  return { state: 'ok', driverVersion: first.driverVersion, gpus };
}
