import os from 'node:os';
import path from 'node:path';

/** The sample dataset's archive, in assets/ of the repository and beside docker/ in an installed app. */
export const SAMPLE_ARCHIVE = 'sample-digits.tar.gz';

/** Where DeiT Studio keeps its files on this machine. */
export interface StudioPaths {
  dataDir: string;
  /** One folder per run: the source of truth for every view. */
  runsDir: string;
  /** Hugging Face hub cache of pretrained weights, mounted into containers. */
  weightsDir: string;
  /** Decoded-image caches shared by runs on the same dataset. */
  cacheDir: string;
  /** The built-in sample dataset, unpacked from the app's archive on first use. */
  samplesDir: string;
  /** The gallery's 256 px thumbnails, by file path, modification time and size (dataset/thumbnail-cache.ts). */
  thumbnailsDir: string;
}

/** The default data folder when the shell does not choose one (Electron passes app.getPath('userData')). */
export function defaultDataDir(): string {
  if (process.env.DEIT_STUDIO_DATA_DIR) return process.env.DEIT_STUDIO_DATA_DIR;
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? home, 'DeiT Studio');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'DeiT Studio');
  return path.join(process.env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'deit-studio');
}

export function studioPaths(dataDir: string): StudioPaths {
  return {
    dataDir,
    runsDir: path.join(dataDir, 'runs'),
    weightsDir: path.join(dataDir, 'weights'),
    cacheDir: path.join(dataDir, 'cache'),
    samplesDir: path.join(dataDir, 'samples'),
    thumbnailsDir: path.join(dataDir, 'thumbnails'),
  };
}
