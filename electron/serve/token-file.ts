import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Where the serve token goes at start. By default the address with the token is printed (one click
 * opens the app, like Jupyter); with `--token-file FILE` it is written to FILE, readable only by
 * this user, and the printed address carries no token — for services whose output lands in logs.
 *
 *   writeTokenFile('/home/me/.deit-studio-token', server.url);
 *   console.log(startupMessage(server, '/home/me/.deit-studio-token'));
 */

/**
 * Writes `url` (the address with the token) and a newline to `file`, created 0600. The text goes to
 * a new file beside it that is then renamed over `file`, so an existing file with wider permissions,
 * or a symbolic link planted at that name, is replaced rather than written through. Throws an Error
 * with a plain message (what failed and what to do).
 */
export function writeTokenFile(file: string, url: string): string {
  // `--token-file=~/x` reaches us unexpanded (the shell expands only a word that starts with ~).
  const target = path.resolve(file.replace(/^~(?=$|\/)/, os.homedir()));
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    fs.rmSync(temporary, { force: true }); // left by a start that crashed (in a container the pid repeats)
    fs.writeFileSync(temporary, `${url}\n`, { mode: 0o600, flag: 'wx' });
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw new Error(
      `Could not write the token file ${target}: ${(error as Error).message}. ` +
        'Choose a file in a folder you can write to, e.g. --token-file ~/.deit-studio-token',
      { cause: error },
    );
  }
  return target;
}

/** Removes the token file at stop, unless another start has written its own address there since. */
export function removeTokenFile(file: string, url: string): void {
  try {
    if (fs.readFileSync(file, 'utf8') === `${url}\n`) fs.rmSync(file);
  } catch {
    // already gone, or not ours to remove
  }
}

/** What `npm run serve` prints once it listens. */
export function startupMessage(server: { url: string; address: string }, tokenFile?: string): string {
  if (!tokenFile) return `DeiT Studio is running. Open this address in your browser:\n\n    ${server.url}\n`;
  return (
    `DeiT Studio is running at ${server.address}\n\n` +
    `The address with the access token is in ${tokenFile} (readable only by you). Open the address it\n` +
    `holds in your browser, e.g. the one \`cat ${tokenFile}\` shows.\n`
  );
}
