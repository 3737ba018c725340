import fs from 'node:fs/promises';
import path from 'node:path';

/** Where administrators add their own trusted certificates (Debian/Ubuntu, Fedora/RHEL/SUSE). */
export const LOCAL_CA_DIRS = [
  '/usr/local/share/ca-certificates',
  '/etc/pki/ca-trust/source/anchors',
  '/etc/pki/trust/anchors',
];

/** A NODE_EXTRA_CA_CERTS file bigger than this is a whole system bundle, not a few added certificates. */
const MAX_EXTRA_FILE_BYTES = 64 * 1024;

async function pemFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && /\.(crt|pem)$/i.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/**
 * Certificates this machine trusts beyond the public ones (a TLS-intercepting proxy of a company or
 * a sandbox), as one PEM text for the trainer build's EXTRA_CA_PEM argument, so pip inside the build
 * trusts what the host trusts. Empty when there are none.
 */
export async function readExtraCaPem(
  options: { dirs?: readonly string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  const files = (await Promise.all((options.dirs ?? LOCAL_CA_DIRS).map(pemFiles))).flat();
  const extra = (options.env ?? process.env).NODE_EXTRA_CA_CERTS;
  if (extra) {
    const size = await fs.stat(extra).then(
      (s) => s.size,
      () => Infinity,
    );
    if (size <= MAX_EXTRA_FILE_BYTES) files.push(extra);
  }
  const texts = await Promise.all(files.map((file) => fs.readFile(file, 'utf8').catch(() => '')));
  const pems = texts.flatMap(
    (text) => text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [],
  );
  return [...new Set(pems)].join('\n');
}
