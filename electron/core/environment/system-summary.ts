import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import si from 'systeminformation';
import type { GpuInfo, SystemSummary } from '../../contract';

/**
 * A one-time inventory of this machine. systeminformation's graphics() runs nvidia-smi
 * synchronously, so this is called on demand, never on a timer (see docs/engine.md).
 */
export async function readSystemSummary(dataDir: string): Promise<SystemSummary> {
  const [osInfo, cpu, mem, graphics, disk] = await Promise.all([
    si.osInfo(),
    si.cpu(),
    si.mem(),
    si.graphics().catch(() => ({ controllers: [] as si.Systeminformation.GraphicsControllerData[] })),
    freeDisk(dataDir),
  ]);
  return {
    os: {
      platform: osInfo.platform || os.platform(),
      distro: osInfo.distro || 'unknown',
      release: osInfo.release || os.release(),
      arch: osInfo.arch || os.arch(),
      hostname: osInfo.hostname || os.hostname(),
    },
    cpu: {
      brand: [cpu.manufacturer, cpu.brand].filter(Boolean).join(' ') || 'unknown',
      cores: cpu.cores || os.cpus().length,
      physicalCores: cpu.physicalCores || cpu.cores || os.cpus().length,
    },
    memory: { totalBytes: mem.total, availableBytes: mem.available },
    disk,
    gpus: graphics.controllers.filter(isGpu).map(toGpuInfo),
  };
}

function isGpu(c: si.Systeminformation.GraphicsControllerData): boolean {
  return Boolean(c.model || c.name);
}

function toGpuInfo(c: si.Systeminformation.GraphicsControllerData): GpuInfo {
  const vramMiB = c.memoryTotal ?? c.vram ?? null;
  return {
    name: c.name || c.model,
    vendor: c.vendor || 'unknown',
    memoryBytes: vramMiB ? vramMiB * 1024 * 1024 : null,
    driverVersion: c.driverVersion || null,
  };
}

/** Free space on the file system that holds `dir` (or its nearest existing parent). */
export async function freeDisk(dir: string): Promise<SystemSummary['disk']> {
  let probe = dir;
  for (;;) {
    try {
      const s = await fs.statfs(probe);
      return { path: dir, freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
    } catch {
      const parent = path.dirname(probe);
      if (parent === probe) return { path: dir, freeBytes: null, totalBytes: null };
      probe = parent;
    }
  }
}
