import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../core/app-core';
import { defaultDataDir, SAMPLE_ARCHIVE } from '../core/paths';
import { createToken } from './security';
import { SERVE_USAGE, isLoopback, parseServeArgs } from './serve-options';
import { startServer } from './server';
import { removeTokenFile, startupMessage, writeTokenFile } from './token-file';

// Bundled to dist/serve/serve.cjs: the renderer build is dist/renderer, the trainer is docker/.
const distDir = path.resolve(__dirname, '..');

/** The app version from package.json (dist/ sits beside it). */
function appVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.resolve(distDir, '..', 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

/** `npm run serve`: the headless shell. */
async function main(): Promise<void> {
  let options;
  try {
    options = parseServeArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${SERVE_USAGE}`);
    process.exit(2);
  }
  if (options.help) {
    console.log(SERVE_USAGE);
    return;
  }
  if (!isLoopback(options.host)) {
    console.warn(
      `WARNING: binding to ${options.host} makes DeiT Studio reachable from other machines. ` +
        'Anyone with the token can read folders on this machine and use its GPUs. Prefer an SSH tunnel.',
    );
  }
  const core = await createCore({
    shell: 'serve',
    version: appVersion(),
    dataDir: options.dataDir ?? defaultDataDir(),
    trainerDir: process.env.DEIT_STUDIO_TRAINER_DIR ?? path.resolve(distDir, '..', 'docker'),
    sampleArchive: process.env.DEIT_STUDIO_SAMPLE_ARCHIVE ?? path.resolve(distDir, '..', 'assets', SAMPLE_ARCHIVE),
    baseImage: process.env.DEIT_STUDIO_BASE_IMAGE,
  });
  const extraHostNames =
    options.host === '0.0.0.0' || options.host === '::'
      ? Object.values(os.networkInterfaces())
          .flat()
          .map((i) => i?.address ?? '')
          .filter(Boolean)
      : [];
  let server;
  try {
    server = await startServer({
      core,
      staticDir: path.join(distDir, 'renderer'),
      token: options.token ?? createToken(),
      host: options.host,
      port: options.port,
      extraHostNames,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(
      code === 'EADDRINUSE'
        ? `Port ${options.port} is already in use. Start with another one: npm run serve -- --port 8766`
        : `Could not start the server: ${(error as Error).message}`,
    );
    await core.close();
    process.exit(1);
  }
  let tokenFile: string | undefined;
  if (options.tokenFile) {
    try {
      tokenFile = writeTokenFile(options.tokenFile, server.url);
    } catch (error) {
      console.error((error as Error).message);
      await server.close();
      await core.close();
      process.exit(1);
    }
  }
  console.log(startupMessage(server, tokenFile));
  console.log(`Data folder: ${core.context.paths.dataDir}. Press Ctrl+C to stop.`);
  const stop = async () => {
    if (tokenFile) removeTokenFile(tokenFile, server.url);
    await server.close();
    await core.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

void main();
