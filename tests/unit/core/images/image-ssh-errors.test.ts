import type Dockerode from 'dockerode';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../electron/contract';
import { changedHostKey, keyRefused, unreachable } from '../../../../electron/core/engines/engine-errors';
import { EventBus } from '../../../../electron/core/event-bus';
import { imagePresent } from '../../../../electron/core/images/image-presence';
import { ImageService } from '../../../../electron/core/images/image-service';

// What the SSH transport hands dockerode when the server's engine cannot be reached (its http.Agent's
// createConnection fails with these errors; docker-modem passes them on unchanged). An engine stand-in
// that fails every request that way: no real server can be made to change its host key in a unit test.
const target = { user: 'ana', host: 'gpu.lab', port: 22 };
const sshErrors: Array<[string, AppError]> = [
  ['ssh_host_key', changedHostKey(target, { algorithm: 'ssh-ed25519', fingerprint: 'SHA256:abc' })],
  ['ssh_refused', keyRefused(target, ['~/.ssh/id_ed25519'])],
  ['ssh_unreachable', unreachable(target, 'ECONNREFUSED')],
];
const failingEngine = (error: Error) =>
  ({
    getImage: () => ({ inspect: () => Promise.reject(error) }),
    info: () => Promise.reject(error),
    version: () => Promise.reject(error),
  }) as unknown as Dockerode;

describe('the training image on a server that SSH cannot reach', () => {
  it.each(sshErrors)('imagePresent passes the %s error on unchanged', async (_kind, error) => {
    await expect(imagePresent(failingEngine(error), 'deit-studio/trainer:x')).rejects.toBe(error);
  });

  it.each(sshErrors)('status() says the %s reason and fix, not "Docker reported an error."', async (kind, error) => {
    const images = new ImageService({
      docker: () => Promise.resolve(failingEngine(error)),
      bus: new EventBus(),
      trainerDir: path.resolve('docker'),
      baseImage: 'example/base:1',
    });
    const status = await images.status();
    expect(status.state).toBe('unknown');
    expect(status.error).toEqual({ kind, message: error.message, fix: error.fix });
    expect(status.error?.message).not.toMatch(/Docker reported an error/);
  });
});
