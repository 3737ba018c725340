import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Everything about a folder tree a scan could change, without following links: each entry's type,
 * size, mode, mtime (ns), link target and content hash. Two equal snapshots mean nothing was written.
 */
export function snapshotFolder(root: string): Record<string, string> {
  const snapshot: Record<string, string> = {};
  const visit = (absolute: string, relative: string) => {
    const stat = fs.lstatSync(absolute, { bigint: true });
    const common = `mode=${stat.mode} size=${stat.size} mtime=${stat.mtimeNs}`;
    if (stat.isSymbolicLink()) snapshot[relative] = `link ${common} -> ${fs.readlinkSync(absolute)}`;
    else if (stat.isDirectory()) {
      const names = fs.readdirSync(absolute).sort();
      snapshot[relative] = `dir ${common} [${names.join('|')}]`;
      for (const name of names) visit(path.join(absolute, name), `${relative}/${name}`);
    } else {
      const hash = createHash('sha256').update(fs.readFileSync(absolute)).digest('hex');
      snapshot[relative] = `file ${common} sha256=${hash}`;
    }
  };
  visit(root, '.');
  return snapshot;
}
