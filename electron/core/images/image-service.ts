import type Dockerode from 'dockerode';
import path from 'node:path';
import {
  AppError,
  type AppErrorShape,
  type ImageProgress,
  type ImageState,
  type ImageStatus,
  type LocalImage,
} from '../../contract';
import type { SettingsFile } from '../app/app-settings';
import { classifyDockerError } from '../docker/classify-docker-error';
import { dockerProblemError } from '../docker/docker-problem-fixes';
import { engineFixContext } from '../docker/fix-context';
import { freeDisk } from '../environment/system-summary';
import type { EventBus } from '../event-bus';
import { PullProgressTracker } from './aggregate-pull-progress';
import { CONSENT_THRESHOLD_BYTES, diskBytesNeeded, KNOWN_BASE_IMAGES, type ImageSize } from './base-image-size';
import { checkBaseImage, listLocalImages } from './base-image-check';
import { BaseImageChoice, describeLoadProgress } from './base-image-choice';
import { buildImage } from './build-image';
import { formatBytes } from './format-bytes';
import { describeBuildProgress, describePullProgress, progress } from './image-progress';
import { appErrorFrom, engineDownError, imagePresent } from './image-presence';
import { loadImageArchive } from './load-image-archive';
import { pullImage } from './pull-image';
import { resolveUserPath } from '../user-path';
import { DEFAULT_BASE_IMAGE, listContextFiles, trainerContentHash, TRAINER_REPOSITORY } from './trainer-image-tag';

/** What the image service needs; tests pass a test repository, the CPU twin as base, short intervals. */
export interface ImageServiceOptions {
  docker: () => Promise<Dockerode>;
  bus: EventBus;
  /** The trainer's build context (the app's docker/ folder). */
  trainerDir: string;
  /** The default base image (DEIT_STUDIO_BASE_IMAGE; else the official PyTorch 2.6 image). */
  baseImage?: string;
  /** Where the user's choice of base image is remembered (the app's settings.json). */
  settings?: SettingsFile;
  repository?: string;
  /** Network of RUN steps: 'host' reaches PyPI also on engines without a default bridge. */
  buildNetworkMode?: string;
  /** Extra trusted certificates (PEM) for pip inside the build: a TLS-intercepting proxy's CA. */
  extraCaPem?: () => Promise<string>;
  /** Proxy settings as Docker's predefined build arguments (HTTPS_PROXY, ...): electron/core/network. */
  proxyBuildArgs?: () => Promise<Record<string, string>>;
  /** Free bytes on the file system holding a folder; null when it cannot be measured. */
  freeBytes?: (dir: string) => Promise<number | null>;
  /** Size of the base image when it is not in KNOWN_BASE_IMAGES (null: unknown, which asks first). */
  baseImageSize?: ImageSize | null;
  now?: () => number;
  /** At most one pull progress event per interval (phase changes always go out). */
  progressIntervalMs?: number;
}

/** Disk space for the image, for the environment doctor. */
export interface ImageDiskNeed {
  imageReady: boolean;
  dockerRootDir: string | null;
  freeBytes: number | null;
  bytesNeeded: number;
}

/**
 * The training image: whether it exists, and getting it: pull the base with per-layer progress, then
 * build the trainer on top, tagged by a hash of docker/ and the base so it is rebuilt only when the
 * trainer changes. Asks before big downloads, checks the disk first, can be cancelled. Offline, the
 * base comes from a `docker save` archive or an image already on the engine (the user's choice is
 * remembered). Presence is asked of the engine on every status, so removed images are noticed.
 */
export class ImageService {
  private readonly base: BaseImageChoice;
  private task: Promise<void> | null = null;
  private controller: AbortController | null = null;
  private state: ImageState = 'missing';
  private lastError: AppErrorShape | undefined;
  private lastEmit = 0;
  /** The newest progress of the current pull or build, throttled out or not. */
  private lastProgress: ImageProgress | null = null;
  private starting: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ImageServiceOptions) {
    this.base = new BaseImageChoice(options.baseImage ?? DEFAULT_BASE_IMAGE, options.settings);
  }

  /** The base image in use: the user's choice, else the default. */
  get baseImage(): string {
    return this.base.image;
  }

  /** The training image's tag for the current docker/ folder and base image. */
  async tag(): Promise<string> {
    await this.base.ready();
    const hash = await trainerContentHash(this.options.trainerDir, this.baseImage);
    return `${this.options.repository ?? TRAINER_REPOSITORY}:${hash}`;
  }

  /**
   * Whether the image is ready, and what getting it would take. While Docker does not answer the
   * state is `unknown` with that error (never `missing`: a download would not help).
   */
  async status(): Promise<ImageStatus> {
    const tag = await this.tag();
    let present: boolean;
    let basePresent: boolean;
    try {
      const docker = await this.options.docker();
      [present, basePresent] = await Promise.all([imagePresent(docker, tag), imagePresent(docker, this.baseImage)]);
    } catch (error) {
      const down = await engineDownError(error);
      if (!down) throw error;
      return {
        tag,
        baseImage: this.baseImage,
        basePresent: false,
        state: 'unknown',
        downloadBytes: null,
        needsConsent: false,
        error: down,
        ...this.base.describe(),
      };
    }
    const size = this.baseSize();
    const downloadBytes = present || basePresent ? 0 : (size?.downloadBytes ?? null);
    let state: ImageState = this.state;
    if (!this.task) state = present ? 'ready' : state === 'error' || state === 'cancelled' ? state : 'missing';
    const status: ImageStatus = {
      tag,
      baseImage: this.baseImage,
      basePresent,
      state,
      downloadBytes,
      needsConsent: !present && !basePresent && (downloadBytes === null || downloadBytes > CONSENT_THRESHOLD_BYTES),
      ...this.base.describe(),
    };
    if (state === 'error' && this.lastError) status.error = this.lastError;
    if (this.task && this.lastProgress) status.progress = this.lastProgress;
    return status;
  }

  /** Starts getting the image (progress as `image.progress` events) and returns at once. */
  ensure(input: { consent: boolean }): Promise<ImageStatus> {
    // One at a time: a double click must not start two pulls.
    const next = this.starting.then(() => this.start(input));
    this.starting = next.catch(() => undefined);
    return next;
  }

  private async start(input: { consent: boolean }): Promise<ImageStatus> {
    if (this.task) return this.status();
    const status = await this.status();
    if (status.state === 'ready') return status;
    if (status.state === 'unknown' && status.error) throw appErrorFrom(status.error);
    const docker = await this.options.docker();
    if (status.needsConsent && !input.consent) {
      const size = status.downloadBytes === null ? 'several GB' : `about ${formatBytes(status.downloadBytes)}`;
      throw new AppError(
        'validation',
        `Getting the training image downloads ${size} (${this.baseImage}). DeiT Studio asks before large downloads.`,
        {
          fix: 'Confirm the download to start it.',
          detail: 'needs_consent',
        },
      );
    }
    await this.checkDisk(status.basePresent);
    const controller = new AbortController();
    this.controller = controller;
    this.lastError = undefined;
    this.lastProgress = null;
    this.state = status.basePresent ? 'building' : 'pulling';
    this.task = this.run(docker, status, controller.signal).finally(() => {
      this.task = null;
      this.controller = null;
    });
    return { ...status, state: this.state };
  }

  /** Gets the image and waits until it is ready; throws the typed error when that fails. */
  async ensureAndWait(input: { consent: boolean }): Promise<ImageStatus> {
    await this.ensure(input);
    await this.task;
    const status = await this.status();
    if (status.state === 'ready') return status;
    if (status.state === 'cancelled') throw new AppError('cancelled', 'Getting the training image was cancelled.');
    const error = status.error ?? this.lastError;
    throw new AppError(error?.kind ?? 'internal', error?.message ?? 'The training image could not be made.', {
      ...(error?.fix ? { fix: error.fix } : {}),
      ...(error?.detail ? { detail: error.detail } : {}),
    });
  }

  /** Tagged images on the engine that could be the base (PyTorch 2.6 tags first). */
  async localImages(): Promise<LocalImage[]> {
    return listLocalImages(await this.options.docker());
  }

  /** Uses an image already on the engine as the base, after checking it for PyTorch; null: the default. */
  async useBase(image: string | null): Promise<ImageStatus> {
    this.refuseWhileBusy();
    const docker = await this.options.docker();
    if (image !== null && !(await imagePresent(docker, image))) {
      throw new AppError('not_found', `There is no image ${image} on this engine.`, {
        fix: 'Choose one from the list, or load it from a file first.',
      });
    }
    await this.base.choose(image, image === null ? undefined : await checkBaseImage(docker, image));
    this.state = 'missing';
    this.lastError = undefined;
    return this.status();
  }

  /** Starts loading the base from a `docker save` archive (progress as `image.progress`); returns at once. */
  loadArchive(input: string): Promise<ImageStatus> {
    const next = this.starting.then(async () => {
      const file = resolveUserPath(input, 'file');
      this.refuseWhileBusy();
      const docker = await this.options.docker();
      const controller = new AbortController();
      this.controller = controller;
      this.lastError = undefined;
      this.lastProgress = null;
      this.state = 'loading';
      this.task = this.runLoad(docker, file, controller.signal).finally(() => {
        this.task = null;
        this.controller = null;
      });
      return this.status();
    });
    this.starting = next.catch(() => undefined);
    return next;
  }

  private refuseWhileBusy(): void {
    if (!this.task) return;
    throw new AppError('busy', 'The training image is being prepared right now.', {
      fix: 'Wait until it is done, or cancel it first.',
    });
  }

  private async runLoad(docker: Dockerode, file: string, signal: AbortSignal): Promise<void> {
    const now = this.options.now ?? Date.now;
    const started = now();
    const name = path.basename(file);
    try {
      const loaded = await loadImageArchive(docker, file, {
        signal,
        onProgress: (done, total) =>
          this.emit(describeLoadProgress(name, done, total, (now() - started) / 1000), done === total),
      });
      this.emit(progress('checking', `Loaded ${loaded.image}. Checking it for PyTorch…`), true);
      const check = await checkBaseImage(docker, loaded.image);
      await this.base.choose(loaded.image, check);
      this.state = 'missing';
      this.emit(progress('done', `Loaded ${loaded.image}. ${check.message}`), true);
    } catch (error) {
      await this.fail(docker, error, signal);
    }
  }

  /** Cancels a pull, load or build in progress and waits until it has stopped. */
  async cancel(): Promise<ImageStatus> {
    this.controller?.abort();
    await this.task;
    return this.status();
  }

  /** Free space where Docker keeps images against what getting the image needs. */
  async diskNeed(): Promise<ImageDiskNeed> {
    const status = await this.status();
    if (status.state === 'unknown' && status.error) throw appErrorFrom(status.error);
    const docker = await this.options.docker();
    const info = (await docker.info()) as { DockerRootDir?: string; OperatingSystem?: string };
    // Docker Desktop keeps images inside its VM's disk, which the host cannot measure.
    const dir = /docker desktop/i.test(info.OperatingSystem ?? '') ? null : (info.DockerRootDir ?? null);
    return {
      imageReady: status.state === 'ready',
      dockerRootDir: dir,
      freeBytes: dir ? await this.freeBytes(dir) : null,
      bytesNeeded: status.state === 'ready' ? 0 : diskBytesNeeded(this.baseSize(), status.basePresent),
    };
  }

  private async buildArgs(hash: string): Promise<Record<string, string>> {
    const proxies = this.options.proxyBuildArgs ? await this.options.proxyBuildArgs() : {};
    const args: Record<string, string> = { ...proxies, BASE_IMAGE: this.baseImage, TRAINER_HASH: hash };
    const pem = this.options.extraCaPem ? await this.options.extraCaPem() : '';
    if (pem) args.EXTRA_CA_PEM = pem;
    return args;
  }

  private baseSize(): ImageSize | null {
    return this.options.baseImageSize !== undefined
      ? this.options.baseImageSize
      : (KNOWN_BASE_IMAGES[this.baseImage] ?? null);
  }

  private freeBytes(dir: string): Promise<number | null> {
    return this.options.freeBytes ? this.options.freeBytes(dir) : freeDisk(dir).then((d) => d.freeBytes);
  }

  private async checkDisk(basePresent: boolean): Promise<void> {
    const need = await this.diskNeed();
    if (need.freeBytes === null || need.freeBytes >= need.bytesNeeded) return;
    throw new AppError(
      'disk_full',
      `Getting the training image needs about ${formatBytes(need.bytesNeeded)} of free space on the disk where Docker keeps images (${need.dockerRootDir}); ${formatBytes(need.freeBytes)} is free.`,
      {
        fix: `Free at least ${formatBytes(need.bytesNeeded - need.freeBytes)} on that disk (for example remove unused images with: docker system prune), then try again.`,
        detail: `base image ${basePresent ? 'present' : 'to be downloaded'}`,
      },
    );
  }

  private emit(value: ImageProgress, force: boolean): void {
    this.lastProgress = value;
    const now = (this.options.now ?? Date.now)();
    if (!force && now - this.lastEmit < (this.options.progressIntervalMs ?? 250)) return;
    this.lastEmit = now;
    this.options.bus.emit('image.progress', value);
  }

  private async run(docker: Dockerode, status: ImageStatus, signal: AbortSignal): Promise<void> {
    const now = this.options.now ?? Date.now;
    try {
      this.emit(progress('checking', 'Checking what is needed…'), true);
      if (!status.basePresent) {
        this.state = 'pulling';
        const tracker = new PullProgressTracker();
        this.emit(describePullProgress(tracker.snapshot(now())), true);
        await pullImage(docker, this.baseImage, {
          signal,
          onEvent: (event) => {
            tracker.apply(event, now());
            this.emit(describePullProgress(tracker.snapshot(now())), false);
          },
        });
        this.emit(describePullProgress(tracker.snapshot(now())), true);
      }
      this.state = 'building';
      const hash = status.tag.slice(status.tag.lastIndexOf(':') + 1);
      await buildImage(docker, {
        contextDir: this.options.trainerDir,
        files: await listContextFiles(this.options.trainerDir),
        tag: status.tag,
        buildArgs: await this.buildArgs(hash),
        labels: { 'deit-studio.trainer-hash': hash, 'deit-studio.base-image': this.baseImage },
        networkMode: this.options.buildNetworkMode ?? 'host',
        signal,
        onEvent: (event) => {
          if (event.kind === 'step') this.emit(describeBuildProgress(event), true);
        },
      });
      this.state = 'ready';
      this.emit(progress('done', 'The training image is ready.'), true);
    } catch (error) {
      await this.fail(docker, error, signal);
    }
  }

  /** A pull, load or build ended in an error (or was cancelled): the state and the last event say so. */
  private async fail(docker: Dockerode, error: unknown, signal: AbortSignal): Promise<void> {
    if (signal.aborted) {
      this.state = 'cancelled';
      this.emit(progress('cancelled', 'Cancelled.'), true);
      return;
    }
    const appError =
      error instanceof AppError
        ? error
        : dockerProblemError(classifyDockerError(error), await engineFixContext(docker));
    this.state = 'error';
    this.lastError = appError.toShape();
    this.emit({ ...progress('error', appError.message), error: this.lastError }, true);
  }
}
