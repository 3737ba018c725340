import type { StudioApi } from './index';

/**
 * What the desktop window exposes as `window.deitStudio` (built by the preload's
 * `createDesktopBridge`, read by the renderer's `api/bridge.ts`): the contract (`StudioApi`) plus
 * `pathForFile`, which only the desktop has (a dropped folder's path; `File.path` no longer exists).
 * Types only, so the sandboxed preload bundle pulls in neither zod nor the schemas.
 */
export interface DesktopBridge extends StudioApi {
  /** The path on disk of a dropped file or folder; '' when it has none. */
  pathForFile(file: File): string;
}
