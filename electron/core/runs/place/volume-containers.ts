import type Dockerode from 'dockerode';
import { randomBytes } from 'node:crypto';
import { LABELS, LOCKED_DOWN, type ContainerUser } from '../../docker/container-spec';
import { removeContainer } from '../../docker/run-containers';

/** Labels of the app's volumes on an engine (with LABELS.dataDir: which data folder made them). */
export const VOLUME_LABELS = {
  kind: 'deit-studio.volume',
  /** A dataset volume's content hash (dataset-hash.ts). */
  dataset: 'deit-studio.dataset',
} as const;

/** The names of the app's volumes on a server; `prefix` is the container name prefix (tests use their own). */
export function volumeNames(prefix: string) {
  return {
    dataset: (hash: string) => `${prefix}-data-${hash.slice(0, 16)}`,
    run: (runId: string) => `${prefix}-run-${runId}`,
    weights: `${prefix}-weights`,
    cache: `${prefix}-cache`,
  };
}

/** A volume mounted into a helper container. */
export interface VolumeMount {
  volume: string;
  target: string;
  readOnly?: boolean;
}

/** What a helper container of the volume place needs. */
export interface HolderInput {
  image: string;
  mounts: VolumeMount[];
  dataDir: string;
  namePrefix: string;
  /** Its role label (e.g. 'upload'); reattach removes every non-training container of a run. */
  role: string;
  runId?: string;
}

/**
 * Runs `use` with a created, never started container that mounts the volumes: the archive API
 * (putArchive, getArchive, infoArchive) reads and writes volumes through it without running anything.
 * The container is removed afterwards, whatever happens.
 *
 *   await withHolder(docker, { image, mounts: [{ volume, target: '/v' }], ... }, (c) => c.putArchive(tar, { path: '/v' }));
 */
export async function withHolder<T>(
  docker: Dockerode,
  input: HolderInput,
  use: (container: Dockerode.Container) => Promise<T>,
): Promise<T> {
  const container = await docker.createContainer({
    name: `${input.namePrefix}-${input.role}-${randomBytes(4).toString('hex')}`,
    Image: input.image,
    Cmd: ['true'],
    Labels: {
      [LABELS.role]: input.role,
      [LABELS.dataDir]: input.dataDir,
      ...(input.runId ? { [LABELS.run]: input.runId } : {}),
    },
    HostConfig: {
      Mounts: input.mounts.map((m) => ({ Type: 'volume', Source: m.volume, Target: m.target, ReadOnly: !!m.readOnly })),
      NetworkMode: 'none',
      ...LOCKED_DOWN,
    },
  });
  try {
    return await use(container);
  } finally {
    await removeContainer(container).catch(() => undefined);
  }
}

/** Makes a volume if missing; true when it was made now (its root is then root's: see `ownVolume`). */
export async function ensureVolume(docker: Dockerode, name: string, labels: Record<string, string>): Promise<boolean> {
  const there = await docker
    .getVolume(name)
    .inspect()
    .then(() => true)
    .catch((error: { statusCode?: number }) => {
      if (error.statusCode === 404) return false;
      throw error;
    });
  if (there) return false;
  await docker.createVolume({ Name: name, Labels: labels });
  return true;
}

/**
 * Gives a new volume's root to the user the app's containers run as (Docker makes it root's): one
 * short container as root with only the CHOWN capability, no network. Nothing to do without a user.
 */
export async function ownVolume(
  docker: Dockerode,
  volume: string,
  user: ContainerUser,
  input: Omit<HolderInput, 'mounts' | 'role'>,
): Promise<void> {
  if (!user) return;
  const container = await docker.createContainer({
    name: `${input.namePrefix}-own-${randomBytes(4).toString('hex')}`,
    Image: input.image,
    User: '0:0',
    Cmd: ['chown', `${user.uid}:${user.gid}`, '/v'],
    Labels: {
      [LABELS.role]: 'own-volume',
      [LABELS.dataDir]: input.dataDir,
      ...(input.runId ? { [LABELS.run]: input.runId } : {}),
    },
    HostConfig: {
      Mounts: [{ Type: 'volume', Source: volume, Target: '/v', ReadOnly: false }],
      NetworkMode: 'none',
      ...LOCKED_DOWN,
      CapAdd: ['CHOWN'],
    },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    if (StatusCode !== 0)
      throw new Error(`Could not give the volume ${volume} to the run's user (exit ${StatusCode}).`);
  } finally {
    await removeContainer(container).catch(() => undefined);
  }
}

/** A path's size and mode in the container (or a volume it mounts), null when missing; any container state will do. */
export async function remoteStat(
  container: Dockerode.Container,
  path: string,
): Promise<{ size: number; mode: number } | null> {
  let response: NodeJS.ReadableStream & { headers?: Record<string, string> };
  try {
    response = (await container.infoArchive({ path })) as typeof response;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return null;
    throw error;
  }
  (response as NodeJS.ReadableStream).resume();
  const header = response.headers?.['x-docker-container-path-stat'];
  if (!header) return { size: 0, mode: 0 };
  const stat = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as { size?: number; mode?: number };
  return { size: stat.size ?? 0, mode: stat.mode ?? 0 };
}

/** True when `path` exists in the container (or a volume it mounts); a created or exited container will do. */
export async function pathExists(container: Dockerode.Container, path: string): Promise<boolean> {
  return (await remoteStat(container, path)) !== null;
}
