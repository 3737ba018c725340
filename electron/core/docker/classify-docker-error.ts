/**
 * The one place where errors from the Docker Engine (and the NVIDIA runtime behind it) are
 * recognised. Each raw text becomes a `DockerProblem`; docker-problem-fixes.ts turns that into
 * a plain message and a fix for this OS. Tested on recorded real texts (tests/fixtures/docker).
 */

/** What went wrong with Docker, in categories that each have one fix. */
export type DockerProblem =
  | 'daemon_missing' // no socket: Docker not installed or not started
  | 'daemon_stopped' // a socket without a listener: the engine stopped or crashed
  | 'daemon_unresponsive' // the engine accepts the connection but does not answer
  | 'permission_denied' // the engine is there, this user may not use it
  | 'engine_too_old' // the engine's API is older than we need
  | 'gpu_toolkit_missing' // Docker has no GPU device driver: NVIDIA Container Toolkit not installed/configured
  | 'gpu_runtime_missing' // the "nvidia" runtime is not registered with Docker
  | 'gpu_driver_too_old' // the driver is older than the image's CUDA needs
  | 'gpu_cdi_missing' // CDI mode without generated CDI specs
  | 'gpu_driver_not_loaded' // the NVIDIA kernel module is not loaded
  | 'gpu_driver_missing' // no NVIDIA driver libraries on the host
  | 'gpu_driver_mismatch' // driver updated without a reboot
  | 'disk_full'
  | 'rate_limited' // Docker Hub's pull limit
  | 'image_not_found'
  | 'registry_unreachable' // no network path to the registry
  | 'tls_untrusted' // a proxy intercepts HTTPS with a certificate Docker or pip does not trust
  | 'dockerfile_invalid'
  | 'build_step_failed'
  | 'cancelled'
  | 'not_found' // a container that is gone
  | 'unknown';

/** A classified error: the problem and the text it was recognised from. */
export interface ClassifiedDockerError {
  problem: DockerProblem;
  /** The daemon's (or the OS's) own words, for the detail line. */
  text: string;
  statusCode?: number;
}

const PATTERNS: Array<[RegExp, DockerProblem]> = [
  // GPU first: their texts also contain generic words ("no such file", "unknown").
  [/could not select device driver/i, 'gpu_toolkit_missing'],
  [/unknown runtime specified nvidia|unknown or invalid runtime name: nvidia/i, 'gpu_runtime_missing'],
  [/unsatisfied condition: cuda\s*>=?/i, 'gpu_driver_too_old'],
  [/unresolvable CDI devices/i, 'gpu_cdi_missing'],
  [/driver\/library version mismatch/i, 'gpu_driver_mismatch'],
  [/nvml error: driver not loaded|couldn't communicate with the NVIDIA driver/i, 'gpu_driver_not_loaded'],
  [/libnvidia-ml\.so|nvml error: library not found|load library failed/i, 'gpu_driver_missing'],
  [/no space left on device/i, 'disk_full'],
  [/toomanyrequests|pull rate limit/i, 'rate_limited'],
  [/manifest unknown|manifest for \S+ not found|pull access denied|repository does not exist|no such image/i, 'image_not_found'],
  [/client version [\d.]+ is too new|maximum supported API version is/i, 'engine_too_old'],
  [/permission denied while trying to connect to the docker daemon/i, 'permission_denied'],
  [/dockerfile parse error|unknown instruction:/i, 'dockerfile_invalid'],
  [/CERTIFICATE_VERIFY_FAILED|certificate verify failed|x509: certificate signed by unknown authority/i, 'tls_untrusted'],
  [/returned a non-zero code/i, 'build_step_failed'],
  [/context canceled/i, 'cancelled'],
  [/no such container/i, 'not_found'],
  [
    /dial tcp|no such host|i\/o timeout|TLS handshake timeout|connection reset by peer|Client\.Timeout|network is unreachable|proxyconnect|server misbehaving/i,
    'registry_unreachable',
  ],
];

const CONNECT_CODES: Record<string, DockerProblem> = {
  ENOENT: 'daemon_missing',
  ECONNREFUSED: 'daemon_stopped',
  EACCES: 'permission_denied',
  EPERM: 'permission_denied',
  ETIMEDOUT: 'daemon_unresponsive',
};

/** Recognises a daemon error text (also an error event inside a pull or build stream). */
export function classifyDaemonText(text: string): DockerProblem {
  for (const [pattern, problem] of PATTERNS) if (pattern.test(text)) return problem;
  return 'unknown';
}

/** The daemon's own words inside a dockerode error (its JSON body), or the OS error message. */
export function dockerErrorText(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object') {
    const { json, message } = error as { json?: unknown; message?: unknown };
    if (json && typeof json === 'object' && typeof (json as { message?: unknown }).message === 'string') {
      return (json as { message: string }).message;
    }
    if (typeof message === 'string') return message.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
  }
  return String(error);
}

/** Classifies anything dockerode, docker-modem or Node's socket layer throws. */
export function classifyDockerError(error: unknown): ClassifiedDockerError {
  const text = dockerErrorText(error);
  const { code, name, statusCode, syscall } = (error && typeof error === 'object' ? error : {}) as {
    code?: unknown;
    name?: unknown;
    statusCode?: unknown;
    syscall?: unknown;
  };
  const classified: ClassifiedDockerError = { problem: 'unknown', text };
  if (typeof statusCode === 'number') classified.statusCode = statusCode;
  if (name === 'AbortError' || code === 'ABORT_ERR') return { ...classified, problem: 'cancelled' };
  if (syscall === 'connect' && typeof code === 'string' && CONNECT_CODES[code]) {
    // A socket error: connecting to the engine itself failed.
    return { ...classified, problem: CONNECT_CODES[code] };
  }
  return { ...classified, problem: classifyDaemonText(text) };
}
