import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { BaseImageCheck } from '../../contract';
import { readJsonOrNull, writeJsonAtomic } from '../atomic-file';

/**
 * The app's own settings, `<data dir>/settings.json`: choices that outlive a session (today the
 * base image chosen on the Environment step). Unknown fields are kept, so a newer version's
 * settings survive an older one; a damaged file counts as empty rather than stopping the app.
 *
 *   const settings = new SettingsFile(dataDir);
 *   await settings.update({ baseImage: 'pytorch/pytorch:2.6.0-cuda12.4-cudnn9-runtime' });
 *   (await settings.read()).baseImage
 */
export const AppSettings = z.looseObject({
  /** The base image chosen by the user; absent: the default (DEIT_STUDIO_BASE_IMAGE, else the official one). */
  baseImage: z.string().optional(),
  /** What the check of that base found, shown again after a restart. */
  baseCheck: BaseImageCheck.optional(),
  /** SSH servers the user added (EngineEntry, checked one by one by the engine registry; no secrets). */
  engines: z.array(z.unknown()).optional(),
  /** The engine the Environment step, images and new runs use; absent: this computer. */
  currentEngineId: z.string().optional(),
});
export type AppSettings = z.infer<typeof AppSettings>;

export class SettingsFile {
  readonly file: string;
  // One write queue per file, shared by every SettingsFile on it (images and engines each hold one):
  // a read-merge-write never interleaves with another.
  private static queues = new Map<string, Promise<unknown>>();

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'settings.json');
  }

  async read(): Promise<AppSettings> {
    const parsed = AppSettings.safeParse(await readJsonOrNull(this.file));
    return parsed.success ? parsed.data : {};
  }

  /** Merges `patch` in (an `undefined` value removes the field); writes atomically, one write at a time. */
  update(patch: Partial<AppSettings>): Promise<AppSettings> {
    const next = (SettingsFile.queues.get(this.file) ?? Promise.resolve()).then(async () => {
      const merged: Record<string, unknown> = { ...(await this.read()), ...patch };
      for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await writeJsonAtomic(this.file, merged);
      return merged as AppSettings;
    });
    SettingsFile.queues.set(
      this.file,
      next.catch(() => undefined),
    );
    return next;
  }
}
