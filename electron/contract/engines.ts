import { z } from 'zod';
import { call } from './define';

/**
 * Docker engines the app can run on: "This computer" and SSH servers the user added (a remote Docker
 * Engine reached over SSH, `docker system dial-stdio` on the server; docs/engine-remote.md).
 * Saved in the app's settings without secrets: the key file's path, never the key; ssh-agent is used
 * when it runs.
 */
export const LOCAL_ENGINE_ID = 'local';
export const EngineId = z.string().regex(/^(local|ssh-[a-z0-9]{6,40})$/, 'Not an engine id.');
export type EngineId = z.infer<typeof EngineId>;

/** `user@host[:port]` plus an optional private key file; what `ssh -i key -p port user@host` would take. */
export const SshTarget = z.strictObject({
  user: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/,
      'Write the user name you log in with on the server (letters, digits, _ . -).',
    ),
  host: z
    .string()
    .trim()
    .min(1, 'Write the server’s name or address.')
    .max(253)
    .regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$|^[0-9A-Fa-f:]+$/, 'Write a host name (gpu1.lab.example.org) or an address.'),
  port: z.number().int().min(1).max(65535).default(22),
  /** A private key file on this computer; absent: ssh-agent, ~/.ssh/config's IdentityFile, ~/.ssh/id_ed25519, id_ecdsa, id_rsa. */
  keyPath: z.string().trim().min(1).max(4096).optional(),
});
export type SshTarget = z.infer<typeof SshTarget>;

/** A server's host key as `ssh` prints it: `SHA256:` + base64 of the key's SHA-256, and its type. */
export const HostKey = z.object({
  algorithm: z.string(), // e.g. ssh-ed25519
  fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/),
});
export type HostKey = z.infer<typeof HostKey>;

export const EngineEntry = z.discriminatedUnion('kind', [
  z.object({ id: z.literal(LOCAL_ENGINE_ID), kind: z.literal('local'), label: z.string() }),
  z.object({
    id: EngineId,
    kind: z.literal('ssh'),
    /** `user@host` (`:port` when not 22). */
    label: z.string(),
    target: SshTarget,
    /** The host key the user accepted (also in `<data folder>/known_hosts`). */
    hostKey: HostKey,
  }),
]);
export type EngineEntry = z.infer<typeof EngineEntry>;

/** What a server's host key is to us: remembered (ours or ~/.ssh/known_hosts), new, or different from the one remembered. */
export const HostKeyCheck = z.object({
  hostKey: HostKey,
  status: z.enum(['known', 'unknown', 'changed']),
});
export type HostKeyCheck = z.infer<typeof HostKeyCheck>;

export const engineCalls = {
  'engines.list': call(
    z.object({}).default({}),
    z.object({ engines: z.array(EngineEntry), currentId: EngineId }),
    'The Docker engines the app knows, and the one the Environment step, images and new runs use.',
  ),
  'engines.checkHost': call(
    SshTarget.pick({ host: true, port: true }),
    HostKeyCheck,
    'Connects to an SSH server and reads its host key (no login) so the user can compare the fingerprint.',
  ),
  'engines.add': call(
    z.strictObject({
      target: SshTarget,
      /** The fingerprint the user saw and accepted; the connection is refused if the server shows another. */
      acceptFingerprint: HostKey.shape.fingerprint,
      /** Use it at once for the Environment step and new runs. */
      choose: z.boolean().default(true),
    }),
    z.object({ engine: EngineEntry }),
    'Adds an SSH server: checks its host key, logs in, asks its Docker Engine for its version, and saves it.',
  ),
  'engines.choose': call(
    z.strictObject({ id: EngineId }),
    z.object({ currentId: EngineId }),
    'Makes an engine the current one (the Environment step checks it again).',
  ),
  'engines.remove': call(
    z.strictObject({ id: EngineId }),
    z.object({ removed: z.boolean() }),
    'Forgets an SSH server (refused while a run is live on it); runs made there keep their folders.',
  ),
};
