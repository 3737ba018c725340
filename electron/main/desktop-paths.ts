import path from 'node:path';
import { SAMPLE_ARCHIVE } from '../core/paths';

/** Where the desktop app finds its parts on disk. */
export interface DesktopPaths {
  /** The renderer build (dist/renderer), served as app://renderer/. */
  rendererDir: string;
  /** The sandboxed preload bundle (dist/electron/preload.cjs). */
  preloadPath: string;
  /** The trainer's build context (docker/). */
  trainerDir: string;
  /** The built-in sample dataset's archive (assets/sample-digits.tar.gz). */
  sampleArchive: string;
}

/**
 * Paths relative to the main bundle's folder (dist/electron). The renderer and preload travel inside
 * app.asar next to it; docker/ ships outside asar as an extraResource (Docker must read it as real
 * files), so a packaged app finds it under process.resourcesPath and a dev run in the repository root.
 * The sample dataset's archive ships the same way (an extraResource; the app unpacks it into its data
 * folder, never where it is installed).
 */
export function desktopPaths(bundleDir: string, isPackaged: boolean, resourcesPath: string): DesktopPaths {
  return {
    rendererDir: path.join(bundleDir, '..', 'renderer'),
    preloadPath: path.join(bundleDir, 'preload.cjs'),
    trainerDir: isPackaged ? path.join(resourcesPath, 'docker') : path.join(bundleDir, '..', '..', 'docker'),
    sampleArchive: isPackaged
      ? path.join(resourcesPath, SAMPLE_ARCHIVE)
      : path.join(bundleDir, '..', '..', 'assets', SAMPLE_ARCHIVE),
  };
}
