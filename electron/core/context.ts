import type Dockerode from 'dockerode';
import type { EventBus } from './event-bus';
import type { StudioPaths } from './paths';

/** What the shell provides that only it can do (native dialogs, opening folders). */
export interface ShellServices {
  shell: 'desktop' | 'serve';
  /** Native folder dialog; absent in serve mode. */
  pickFolder?: (title?: string) => Promise<string | null>;
  /** Native file dialog (extensions without the dot); absent in serve mode. */
  pickFile?: (title?: string, extensions?: string[]) => Promise<string | null>;
  /** Opens a folder in the OS file manager; absent in serve mode. */
  openPath?: (path: string) => Promise<boolean>;
}

export interface CoreOptions extends ShellServices {
  version: string;
  dataDir: string;
  /** The trainer's build context (the app's docker/ folder). */
  trainerDir: string;
  /** The built-in sample dataset's archive (assets/sample-digits.tar.gz, shipped beside the app); none: no sample. */
  sampleArchive?: string;
  /** Base image override (tests use the CPU twin); default: the official PyTorch 2.6 CUDA image. */
  baseImage?: string;
  /** A ready dockerode client; default: found by the Docker connection logic. */
  docker?: Dockerode;
  /** Start background services (GPU telemetry, reattach). Tests of single services turn this off. */
  background?: boolean;
}

/** Shared by all core services; created once by `createCore`. */
export interface CoreContext {
  options: CoreOptions;
  paths: StudioPaths;
  bus: EventBus;
  /** The Docker Engine client, connected on first use; throws a typed AppError when none answers. */
  docker(): Promise<Dockerode>;
  /** Current time; replaced in tests. */
  now(): Date;
  /**
   * Real paths of the folders whose images may be previewed (`dataset.thumbnail`): those scanned or
   * classified in this session. Nothing else on the machine is served as an image.
   */
  previewFolders: Set<string>;
  /** Registers cleanup (stop timers, child processes, file followers) run by `StudioCore.close()`. */
  onClose(cleanup: () => void | Promise<void>): void;
}
