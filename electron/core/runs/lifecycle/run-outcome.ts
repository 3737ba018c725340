import {
  AppError,
  TRAINER_EXIT,
  type RunFailure,
  type RunSettings,
  type StopCause,
  type TrainerEventOf,
} from '../../../contract';

/** How a run's container ended, as far as the app could see. */
export interface AttemptEnd {
  /** The container's exit code; null when it could not be read (container or Docker gone). */
  exitCode: number | null;
  /** Docker's State.OOMKilled: the kernel killed it for memory. */
  oomKilled: boolean;
  /** The user asked to stop this run. */
  stopRequested: boolean;
  /** Docker stopped answering while the run was going. */
  dockerGone: boolean;
  /** The container had disappeared (e.g. removed while the app was closed). */
  containerMissing: boolean;
  /** The last events of this attempt, from metrics.jsonl. */
  error: TrainerEventOf<'error'> | null;
  stopped: TrainerEventOf<'stopped'> | null;
  finished: TrainerEventOf<'finished'> | null;
  /** The batch size the trainer last used (it may have lowered an `auto` one). */
  batchSize: number | null;
  lastCheckpointExists: boolean;
  /** The last lines of the container's output, shown with a crash. */
  logTail: string[];
}

/** A run's status after an attempt ended, and why. */
export interface RunOutcome {
  status: 'finished' | 'stopped' | 'failed';
  resumable: boolean;
  failure: RunFailure | null;
  /** Who stopped a `stopped` run: the user's Stop, or a SIGTERM the app did not send (Docker shutting down). */
  stopCause?: StopCause;
}

const SIGKILL_EXIT = 137;
const SIGTERM_EXIT = 143;

/**
 * Classifies how a training container ended (exit code, Docker's OOM flag, the trainer's last
 * events, whether the user asked to stop) into a status and, for failures, a plain message, a fix
 * and where possible a one-click follow-up. Pure: every input is in `end`.
 */
export function classifyAttemptEnd(end: AttemptEnd, settings: RunSettings): RunOutcome {
  const resumable = end.lastCheckpointExists;
  if (end.exitCode === 0 && end.finished) return { status: 'finished', resumable: false, failure: null };
  // The trainer saved and stopped on a SIGTERM: the user's Stop, or else Docker's (a daemon shutting
  // down stops its containers gracefully, as does `docker stop`). It may have said so just before the
  // engine went away; then it is a stop, not a failure.
  const stopCause: StopCause = end.stopRequested ? 'user' : 'docker';
  if (end.stopped && (end.exitCode === 0 || (end.dockerGone && end.exitCode === null))) {
    return { status: 'stopped', resumable: end.stopped.resumable || resumable, failure: null, stopCause };
  }
  if (end.dockerGone) {
    return failed(resumable, {
      cause: 'docker_gone',
      message: 'Docker stopped while the run was going, so the training stopped too.',
      fix: resumable
        ? 'Start Docker again, then resume the run: it continues from its last checkpoint.'
        : 'Start Docker again, then start the run again.',
    });
  }
  if (end.stopRequested && (end.exitCode === 0 || end.exitCode === SIGKILL_EXIT || end.exitCode === SIGTERM_EXIT)) {
    return { status: 'stopped', resumable, failure: null, stopCause };
  }
  // Ended by a SIGTERM nobody in the app sent, before the trainer could say `stopped`: still a stop,
  // not a crash; resuming continues from the last checkpoint (or starts again without one).
  if (end.exitCode === SIGTERM_EXIT && !end.error) {
    return { status: 'stopped', resumable: true, failure: null, stopCause: 'docker' };
  }
  if (end.error?.kind === 'out_of_memory' || end.exitCode === TRAINER_EXIT.out_of_memory) {
    return failed(resumable, outOfGpuMemory(end, settings));
  }
  if (end.oomKilled) return failed(resumable, killedForMemory(end, settings));
  const fromTrainer = end.error ? trainerFailure(end.error) : null;
  if (fromTrainer) return failed(resumable, fromTrainer);
  switch (end.exitCode) {
    case TRAINER_EXIT.dataset:
      return failed(resumable, {
        cause: 'dataset_invalid',
        message: 'The training could not use the dataset folder.',
        fix: 'Check the dataset page for problems (empty classes, unreadable images), fix the folder and start again.',
      });
    case TRAINER_EXIT.weights_missing:
      return failed(resumable, weightsMissing());
    case TRAINER_EXIT.config_invalid:
      return failed(resumable, configInvalid('The trainer rejected the run settings.'));
    case SIGKILL_EXIT:
      return failed(resumable, {
        cause: 'killed',
        message: 'The training was stopped from outside DeiT Studio (its container was killed).',
        fix: resumable
          ? 'Resume the run to continue from its last checkpoint.'
          : 'Start the run again; if something on this machine stops containers, find out what.',
      });
  }
  if (end.containerMissing && end.exitCode === null) {
    return failed(resumable, {
      cause: 'crashed',
      message: 'The training container was removed outside DeiT Studio before it finished.',
      fix: resumable ? 'Resume the run to continue from its last checkpoint.' : 'Start the run again.',
    });
  }
  return failed(resumable, crashed(end));
}

/** Maps an error from creating or starting a container into why the run could not start. */
export function classifyStartError(error: unknown): RunFailure {
  if (error instanceof AppError) {
    if (error.kind === 'docker_unreachable') return dockerNotAnswering(`${error.message} ${error.fix ?? ''}`.trim());
    if (error.kind === 'docker_permission') {
      return withDetail(
        {
          cause: 'docker_gone',
          message: error.message,
          fix: `${error.fix ?? 'Allow your user to use Docker.'} Then resume the run.`,
        },
        error.detail,
      );
    }
    if (error.kind === 'dataset_invalid') {
      return withDetail(
        { cause: 'dataset_invalid', message: error.message, fix: error.fix ?? 'Choose the dataset folder again.' },
        error.detail,
      );
    }
    if (error.kind === 'gpu_unavailable') {
      return { ...gpuToolkitMissing(), message: error.message, fix: error.fix ?? gpuToolkitMissing().fix };
    }
    return withDetail({ cause: 'crashed', message: error.message, fix: error.fix ?? 'Try again.' }, error.detail);
  }
  const text = errorText(error);
  if (/could not select device driver .*capabilities: \[\[gpu\]\]/i.test(text)) return gpuToolkitMissing(text);
  if (/unresolvable CDI devices/i.test(text)) {
    return {
      ...gpuToolkitMissing(text),
      message: 'Docker is set up to find GPUs through CDI, but no NVIDIA GPU is described there.',
      fix: 'Run `sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml`, restart Docker, and try again.',
    };
  }
  if (/unsatisfied condition: cuda>=/i.test(text)) {
    return {
      ...gpuToolkitMissing(text),
      message: 'The NVIDIA driver is too old for the training image (it needs CUDA 12.4).',
      fix: 'Update the NVIDIA driver to version 550 or newer, restart, and try again.',
    };
  }
  if (isConnectionError(error)) return dockerNotAnswering(text);
  if (/no such image/i.test(text)) {
    return withDetail(
      {
        cause: 'crashed',
        message: 'The training image is missing.',
        fix: 'Open the environment page, get the training image, and start the run again.',
      },
      text,
    );
  }
  return withDetail(
    { cause: 'crashed', message: 'Docker could not start the training container.', fix: 'Try again.' },
    text,
  );
}

/** True for errors that mean the Docker Engine is not answering (socket gone, refused, reset). */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && ['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'EACCES'].includes(code)) {
    return true;
  }
  return /socket hang up|ECONNREFUSED|ECONNRESET|connect ENOENT/i.test(errorText(error));
}

/** A start refused because the engine does not answer: nothing ran, so resuming later loses nothing. */
function dockerNotAnswering(detail: string): RunFailure {
  return withDetail(
    {
      cause: 'docker_gone',
      message: 'Docker is not answering, so the training could not start.',
      fix: 'Start Docker, then resume the run: nothing was lost, and it continues from its last checkpoint if it has one.',
    },
    detail,
  );
}

function gpuToolkitMissing(detail?: string): RunFailure {
  return withDetail(
    {
      cause: 'gpu_toolkit_missing',
      message:
        'Docker cannot give containers access to the GPU: the NVIDIA Container Toolkit is missing or not set up.',
      fix: 'Install the NVIDIA Container Toolkit, run `sudo nvidia-ctk runtime configure --runtime=docker`, restart Docker, and try again (or train on the CPU, slowly).',
      action: { label: 'Train on the CPU instead', settingsPatch: { device: 'cpu' } },
    },
    detail,
  );
}

function outOfGpuMemory(end: AttemptEnd, settings: RunSettings): RunFailure {
  const half = halfBatch(end, settings);
  return {
    cause: 'out_of_memory',
    message: 'The GPU ran out of memory during training.',
    fix: half
      ? `Try again with a smaller batch size (${half}), a smaller image size, or a smaller model.`
      : 'Try a smaller image size or a smaller model.',
    ...(half ? { action: { label: `Retry with batch size ${half}`, settingsPatch: { batchSize: half } } } : {}),
  };
}

function killedForMemory(end: AttemptEnd, settings: RunSettings): RunFailure {
  const half = halfBatch(end, settings);
  return {
    cause: 'killed_for_memory',
    // The training container may use 3/4 of the RAM (MEMORY_SHARE in container-spec.ts); at that limit
    // or when the whole machine is out, the kernel stops it.
    message:
      'The training ran out of memory (RAM): it reached the share DeiT Studio allows it (3/4 of this ' +
      'computer’s memory), or the computer ran out, so the system stopped it.',
    fix: 'Try a smaller batch size or image size, or close other programs.',
    ...(half ? { action: { label: `Retry with batch size ${half}`, settingsPatch: { batchSize: half } } } : {}),
  };
}

function halfBatch(end: AttemptEnd, settings: RunSettings): number | null {
  const current = end.batchSize ?? (typeof settings.batchSize === 'number' ? settings.batchSize : null);
  if (current === null || current < 2) return null;
  return Math.floor(current / 2);
}

function trainerFailure(error: TrainerEventOf<'error'>): RunFailure | null {
  const fromTrainer = { message: error.message, fix: error.fix };
  const detail = error.detail ?? undefined;
  switch (error.kind) {
    case 'dataset_not_found':
    case 'dataset_empty':
    case 'dataset_one_class':
      return withDetail({ cause: 'dataset_invalid', ...fromTrainer }, detail);
    case 'weights_missing':
      return withDetail({ ...weightsMissing(), ...fromTrainer }, detail);
    case 'config_invalid':
      return withDetail({ cause: 'config_invalid', ...fromTrainer }, detail);
    case 'checkpoint_invalid':
    case 'internal':
      return withDetail({ cause: 'crashed', ...fromTrainer }, detail);
    case 'out_of_memory':
      return null; // handled with the batch-size action
  }
}

function weightsMissing(): RunFailure {
  return {
    cause: 'weights_missing',
    message: 'The pretrained weights of this model are not on this computer.',
    fix: 'Connect to the internet and start the run again: DeiT Studio downloads them first.',
  };
}

function configInvalid(message: string): RunFailure {
  return { cause: 'config_invalid', message, fix: 'This is a bug in DeiT Studio: report it with the run log.' };
}

function crashed(end: AttemptEnd): RunFailure {
  const code = end.exitCode === null ? 'unknown' : String(end.exitCode);
  return withDetail(
    {
      cause: 'crashed',
      message: `The training stopped with an error (exit code ${code}).`,
      fix: end.lastCheckpointExists
        ? 'Look at the last lines of the log below. You can resume from the last checkpoint.'
        : 'Look at the last lines of the log below, then start the run again.',
    },
    end.logTail.length ? end.logTail.join('\n') : undefined,
  );
}

function failed(resumable: boolean, failure: RunFailure): RunOutcome {
  return { status: 'failed', resumable, failure };
}

function withDetail(failure: RunFailure, detail: string | undefined): RunFailure {
  return detail ? { ...failure, detail } : failure;
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const json = (error as { json?: { message?: unknown } }).json;
    return typeof json?.message === 'string' ? `${error.message} ${json.message}` : error.message;
  }
  return String(error);
}
