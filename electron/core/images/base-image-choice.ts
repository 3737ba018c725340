import type { BaseImageCheck, ImageProgress } from '../../contract';
import type { SettingsFile } from '../app/app-settings';
import { formatBytes } from './format-bytes';
import { progress } from './image-progress';

/**
 * Which base image the trainer is built on: the default (the official PyTorch 2.6 image, or
 * DEIT_STUDIO_BASE_IMAGE), or one the user chose on the Environment step — loaded from a file or
 * already on the engine — remembered in the app's settings with what its check found.
 *
 *   const choice = new BaseImageChoice('pytorch/pytorch:2.6.0-…', settings);
 *   await choice.ready();  choice.image  // the chosen one, else the default
 *   await choice.choose('my/pytorch:2.6', check);  await choice.choose(null);  // back to the default
 */
export class BaseImageChoice {
  private current: string;
  private chosen = false;
  private check: BaseImageCheck | undefined;
  private loading: Promise<void> | null = null;

  constructor(
    readonly defaultImage: string,
    private readonly settings?: SettingsFile,
  ) {
    this.current = defaultImage;
  }

  /** Reads the stored choice once. */
  ready(): Promise<void> {
    this.loading ??= (async () => {
      const stored = this.settings ? await this.settings.read() : {};
      if (stored.baseImage) {
        this.current = stored.baseImage;
        this.chosen = true;
        this.check = stored.baseCheck?.image === stored.baseImage ? stored.baseCheck : undefined;
      }
    })();
    return this.loading;
  }

  /** The base image in use (call `ready()` once first). */
  get image(): string {
    return this.current;
  }

  /** Uses `image` as the base and remembers it; null goes back to the default. */
  async choose(image: string | null, check?: BaseImageCheck): Promise<void> {
    await this.ready();
    this.current = image ?? this.defaultImage;
    this.chosen = image !== null;
    this.check = image !== null ? check : undefined;
    await this.settings?.update({ baseImage: image ?? undefined, baseCheck: this.check });
  }

  /** The ImageStatus fields about the base. */
  describe(): { defaultBaseImage: string; baseChosen: boolean; baseCheck?: BaseImageCheck } {
    return {
      defaultBaseImage: this.defaultImage,
      baseChosen: this.chosen,
      ...(this.check ? { baseCheck: this.check } : {}),
    };
  }
}

/** Loading an archive as a progress event: bytes sent of the file's size, speed and time left. */
export function describeLoadProgress(name: string, done: number, total: number, elapsedS: number): ImageProgress {
  const speed = elapsedS > 0.5 ? done / elapsedS : null;
  return {
    ...progress('loading', `Loading the base image from ${name}: ${formatBytes(done)} of ${formatBytes(total)}.`),
    bytesDone: done,
    bytesTotal: total,
    speedBytesPerS: speed === null ? null : Math.round(speed),
    etaS: speed ? Math.round((total - done) / speed) : null,
  };
}
