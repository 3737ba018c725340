import type Dockerode from 'dockerode';
import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveUserPath } from '../user-path';
import { AppError, ImportedWeights, WEIGHTS_FILE_EXTENSIONS, type ModelId, type WeightsStatus } from '../../contract';
import { classifyDockerError } from '../docker/classify-docker-error';
import { dockerProblemError } from '../docker/docker-problem-fixes';
import { engineFixContext } from '../docker/fix-context';
import { importWeightsContainerSpec } from '../docker/container-spec';
import type { AttemptEnv } from '../runs/lifecycle/run-attempt';
import { runToolContainer } from '../docker/tool-container';
import { imagePresent } from '../images/image-presence';
import { hasHubWeights, importedWeightsFile } from './weights-cache';

/** What importing needs from the run service's environment. */
export type ImportEnv = Pick<AttemptEnv, 'docker' | 'paths' | 'trainerImage' | 'user' | 'namePrefix'>;

/**
 * Importing always runs on this computer's Docker Engine, whichever engine is current: the file and
 * the weights folder are on this computer (a server cannot bind-mount them), and only runs here use
 * imported weights — a run on a GPU server fetches its own from the Hugging Face Hub into the server's
 * weights volume. The training image must be on this computer's engine; when it is not, a plain error.
 *
 *   createWeightsHandlers(ctx, importOnThisComputer(runs.env, { docker: () => engines.docker('local'), imageTag }))
 */
export function importOnThisComputer(
  env: Omit<ImportEnv, 'docker' | 'trainerImage'>,
  local: { docker(): Promise<Dockerode>; imageTag(): Promise<string> },
): ImportEnv {
  return {
    paths: env.paths,
    user: env.user,
    namePrefix: env.namePrefix,
    docker: () => local.docker(),
    trainerImage: async () => {
      const tag = await local.imageTag();
      if (await imagePresent(await local.docker(), tag)) return tag;
      throw new AppError(
        'not_available',
        "Importing weights needs the training image on this computer's Docker, and it is not there yet.",
        {
          fix: 'On the Environment page choose "This computer" and get the training image, then import again (the file is checked here, and runs on this computer use it; runs on a GPU server fetch their own weights).',
        },
      );
    },
  };
}

/** The full path of the file the user typed or picked (~ expanded); a typed error when it is not one. */
export async function resolveWeightsFile(input: string): Promise<string> {
  const file = resolveUserPath(input.trim(), 'file');
  const ext = path.extname(file).slice(1).toLowerCase();
  if (!(WEIGHTS_FILE_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new AppError('validation', `${path.basename(file)} is not a weights file DeiT Studio can read.`, {
      fix: 'Choose a .safetensors file (preferred) or a PyTorch .pth file.',
    });
  }
  const stat = await fs.stat(file).catch(() => null);
  if (!stat) {
    throw new AppError('not_found', `There is no file ${file}.`, { fix: 'Check the path, then try again.' });
  }
  if (!stat.isFile()) {
    throw new AppError('validation', `${file} is not a file.`, { fix: 'Choose the weights file itself.' });
  }
  if (stat.size === 0) {
    throw new AppError('validation', `${path.basename(file)} is empty.`, {
      fix: 'Download the weights file again (the download may have been interrupted).',
    });
  }
  return file;
}

/**
 * Checks a weights file against the model with `deit_trainer import-weights` in a locked-down
 * container (no network, the file read-only) and stores it in the weights folder, where runs of that
 * model find it. A file that does not fit is refused with the trainer's plain-words reason.
 */
export async function importWeights(env: ImportEnv, modelId: ModelId, input: string): Promise<ImportedWeights> {
  const file = await resolveWeightsFile(input);
  await fs.mkdir(env.paths.weightsDir, { recursive: true });
  const spec = importWeightsContainerSpec({
    image: await env.trainerImage(),
    modelId,
    file,
    weightsDir: env.paths.weightsDir,
    user: env.user,
    dataDir: env.paths.dataDir,
    namePrefix: env.namePrefix,
  });
  const docker = await env.docker();
  const result = await runToolContainer(
    docker,
    spec,
    () => undefined,
    () => undefined,
  ).catch(async (error: unknown) => {
    throw dockerProblemError(classifyDockerError(error), await engineFixContext(docker));
  });
  if (result.exitCode !== 0) {
    throw new AppError(
      result.error ? 'validation' : 'internal',
      result.error?.message ?? 'Importing the weights failed.',
      {
        fix: result.error?.fix ?? 'Check that the file is a complete weights file, then try again.',
        detail: result.error?.detail ?? result.tail.join('\n'),
      },
    );
  }
  const imported = await readImported(env.paths.weightsDir, modelId);
  if (!imported) {
    throw new AppError('internal', 'The weights were checked but their record is missing.', {
      fix: 'Import the file again.',
    });
  }
  return imported;
}

/** The model's imported weights as recorded by the trainer (source.json), or null. */
export async function readImported(weightsDir: string, modelId: ModelId): Promise<ImportedWeights | null> {
  const folder = path.dirname(importedWeightsFile(weightsDir, modelId));
  const stat = await fs.stat(importedWeightsFile(weightsDir, modelId)).catch(() => null);
  if (!stat?.isFile()) return null;
  const source = await fs
    .readFile(path.join(folder, 'source.json'), 'utf8')
    .then((text) => JSON.parse(text) as Record<string, unknown>)
    .catch(() => null);
  const parsed = ImportedWeights.safeParse({
    modelId,
    file: source?.file,
    sha256: source?.sha256,
    bytes: source?.bytes,
    format: source?.format,
    importedAt: source?.imported_at,
  });
  return parsed.success ? parsed.data : null;
}

/** Which starting weights the model has here. */
export async function weightsStatus(weightsDir: string, modelId: ModelId): Promise<WeightsStatus> {
  return {
    modelId,
    imported: await readImported(weightsDir, modelId),
    downloaded: await hasHubWeights(weightsDir, modelId),
  };
}

/** Removes the model's imported weights (DeiT Studio's stored copy; the user's own file is untouched). */
export async function removeImported(weightsDir: string, modelId: ModelId): Promise<boolean> {
  const folder = path.dirname(importedWeightsFile(weightsDir, modelId));
  const existed = (await fs.stat(folder).catch(() => null)) !== null;
  await fs.rm(folder, { recursive: true, force: true });
  return existed;
}
