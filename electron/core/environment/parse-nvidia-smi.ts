/** One NVIDIA GPU as nvidia-smi lists it. */
export interface DetectedGpu {
  index: number;
  name: string;
  memoryMiB: number | null;
  uuid: string;
  busId: string;
  driverVersion: string;
}

/** The inventory query the doctor runs; only fields that old drivers also know. */
export const GPU_INVENTORY_FIELDS = ['driver_version', 'index', 'name', 'memory.total', 'uuid', 'pci.bus_id'] as const;

/** Splits one line of `--format=csv,noheader,nounits` output into trimmed fields. */
export function splitCsvLine(line: string): string[] {
  return line.split(',').map((field) => field.trim());
}

/** A number from nvidia-smi, or null for `[N/A]`, `[Not Supported]`, `N/A`, empty and other non-numbers. */
export function parseSmiNumber(value: string | undefined): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (!text || text.startsWith('[') || /^n\/a$/i.test(text)) return null;
  const number = Number(text);
  return Number.isFinite(number) ? number : null;
}

/** Parses the output of `nvidia-smi --query-gpu=<GPU_INVENTORY_FIELDS> --format=csv,noheader,nounits`. */
export function parseGpuInventory(stdout: string): DetectedGpu[] {
  const gpus: DetectedGpu[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    const [driverVersion, index, name, memory, uuid, busId] = splitCsvLine(line);
    const parsedIndex = parseSmiNumber(index);
    if (parsedIndex === null || !name || !driverVersion) continue;
    gpus.push({
      index: parsedIndex,
      name,
      memoryMiB: parseSmiNumber(memory),
      uuid: uuid ?? '',
      busId: busId ?? '',
      driverVersion,
    });
  }
  return gpus;
}

/** The driver version in /proc/driver/nvidia/version ("… Kernel Module [for x86_64]  580.159.04  …"), or null. */
export function parseProcDriverVersion(text: string): string | null {
  const match = /Module(?:\s+for\s+\S+)?\s+(\d+\.\d+(?:\.\d+)?)/.exec(text);
  return match?.[1] ?? null;
}
