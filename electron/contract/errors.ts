import { z } from 'zod';

/** Every kind of failure that can cross the API boundary. The UI picks icons and actions by kind. */
export const ErrorKind = z.enum([
  'validation', // the request itself was malformed
  'not_found', // a run, file or folder that does not exist
  'not_available', // this feature is not available in this shell or on this OS
  'unauthorized', // serve mode: missing or wrong token
  'busy', // something else holds the resource (a run on that GPU, an image build)
  'cancelled', // the user cancelled
  'docker_unreachable', // no Docker Engine answered
  'docker_permission', // the engine is there but this user may not use it
  'docker_error', // the engine answered with an error
  'gpu_unavailable', // no NVIDIA GPU can be used from containers
  'disk_full', // not enough free disk space
  'dataset_invalid', // the chosen folder cannot be trained on
  'ssh_host_key', // a server's host key is not known yet, or differs from the one remembered
  'ssh_refused', // the server refused our key (or asked for a password we do not send)
  'ssh_unreachable', // no SSH server answered at that address and port
  'internal', // a bug: the message says what happened, the detail has more
]);
export type ErrorKind = z.infer<typeof ErrorKind>;

/** An error as it crosses the boundary: plain data, a message a non-expert can act on, never a stack. */
export const AppErrorShape = z.object({
  kind: ErrorKind,
  message: z.string(),
  fix: z.string().optional(),
  detail: z.string().optional(),
});
export type AppErrorShape = z.infer<typeof AppErrorShape>;

/** Thrown by core services; the shells turn it into an `AppErrorShape` result. */
export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly fix: string | undefined;
  readonly detail: string | undefined;

  constructor(kind: ErrorKind, message: string, options: { fix?: string; detail?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.kind = kind;
    this.fix = options.fix;
    this.detail = options.detail;
  }

  /** The plain-data form sent to the UI. */
  toShape(): AppErrorShape {
    const shape: AppErrorShape = { kind: this.kind, message: this.message };
    if (this.fix !== undefined) shape.fix = this.fix;
    if (this.detail !== undefined) shape.detail = this.detail;
    return shape;
  }
}

/** Maps anything thrown to the boundary form; unknown errors become `internal` with their message as detail. */
export function toErrorShape(error: unknown): AppErrorShape {
  if (error instanceof AppError) return error.toShape();
  const detail = error instanceof Error ? error.message : String(error);
  return {
    kind: 'internal',
    message: 'Something went wrong inside DeiT Studio.',
    fix: 'Try again. If it keeps happening, report it with the detail below.',
    detail,
  };
}

/** What every call returns: a value, or a typed error. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };
