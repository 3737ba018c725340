import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../../electron/contract';
import {
  createArchiveReader,
  readArchiveKind,
  verifySaveArchive,
  type SaveArchiveContents,
} from '../../../../electron/core/images/save-archive';

// The archive's own checks, on archives written here in both layouts (the real engine's archives are
// loaded in tests/integration/images-offline.test.ts).

const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

async function pack(files: Array<[string, Buffer | string]>): Promise<Buffer> {
  const p = tar.pack();
  for (const [name, data] of files) p.entry({ name }, typeof data === 'string' ? Buffer.from(data) : data);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of p as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function read(archive: Buffer, kind: 'none' | 'gzip' = 'none'): Promise<SaveArchiveContents> {
  const reader = createArchiveReader(kind);
  await pipeline(Readable.from([archive]), reader.input);
  return reader.contents;
}

const layer = Buffer.from('pretend this is a layer tar '.repeat(40));
const config = JSON.stringify({
  os: 'linux',
  architecture: 'amd64',
  rootfs: { type: 'layers', diff_ids: [`sha256:${sha(layer)}`] },
});

function legacy(layerData = layer): Array<[string, Buffer | string]> {
  return [
    ['0123abcd/layer.tar', layerData],
    [`${sha(config)}.json`, config],
    [
      'manifest.json',
      JSON.stringify([{ Config: `${sha(config)}.json`, RepoTags: ['my/torch:2.6'], Layers: ['0123abcd/layer.tar'] }]),
    ],
  ];
}

function oci(layerData = layer, layerName = `blobs/sha256/${sha(layer)}`): Array<[string, Buffer | string]> {
  const manifest = JSON.stringify({ schemaVersion: 2, config: { digest: `sha256:${sha(config)}` } });
  return [
    [`blobs/sha256/${sha(config)}`, config],
    [layerName, layerData],
    [`blobs/sha256/${sha(manifest)}`, manifest],
    ['index.json', JSON.stringify({ manifests: [{ digest: `sha256:${sha(manifest)}` }] })],
    [
      'manifest.json',
      JSON.stringify([{ Config: `blobs/sha256/${sha(config)}`, RepoTags: ['my/torch:2.6'], Layers: [layerName] }]),
    ],
  ];
}

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('no error');
}

describe('docker save archives: verifySaveArchive', () => {
  it('lists the images of a legacy and an OCI-layout archive with the ids the engine may give them', async () => {
    const [image] = verifySaveArchive(await read(await pack(legacy())));
    expect(image).toEqual({
      repoTags: ['my/torch:2.6'],
      configDigest: `sha256:${sha(config)}`,
      ids: [`sha256:${sha(config)}`],
      os: 'linux',
      architecture: 'amd64',
    });
    const [ociImage] = verifySaveArchive(await read(await pack(oci())));
    expect(ociImage?.configDigest).toBe(`sha256:${sha(config)}`);
    expect(ociImage?.ids).toHaveLength(2); // the config, and the manifest digest of the containerd store
  });

  it('reads a gzip-compressed archive', async () => {
    const gz = zlib.gzipSync(await pack(legacy()));
    expect(readArchiveKind(gz)).toBe('gzip');
    expect(verifySaveArchive(await read(gz, 'gzip'))).toHaveLength(1);
  });

  it('names the damaged file: a legacy layer against its diff_id, a blob against its name', async () => {
    const bad = Buffer.from(layer);
    bad[10] = 0x21;
    const contents = await read(await pack(legacy(bad)));
    expect(errorOf(() => verifySaveArchive(contents))).toMatchObject({
      kind: 'validation',
      detail: 'archive_damaged',
      message: 'The archive is damaged: 0123abcd/layer.tar does not match its checksum.',
    });
    const blob = await read(await pack(oci(bad)));
    expect(errorOf(() => verifySaveArchive(blob)).message).toBe(
      `The archive is damaged: blobs/sha256/${sha(layer)} does not match its checksum.`,
    );
  });

  it('says when a file is not a docker save archive, or is incomplete', async () => {
    const exported = await read(await pack([['etc/hostname', 'box\n']])); // docker export, not save
    expect(errorOf(() => verifySaveArchive(exported))).toMatchObject({ detail: 'archive_not_docker_save' });
    const cut = await read(await pack(legacy().filter(([name]) => !name.endsWith('layer.tar'))));
    expect(errorOf(() => verifySaveArchive(cut))).toMatchObject({ detail: 'archive_incomplete' });
  });

  it('refuses compressions it cannot read while loading, with the command to decompress', () => {
    const xz = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 0]);
    expect(errorOf(() => readArchiveKind(xz))).toMatchObject({
      detail: 'archive_compression',
      fix: expect.stringContaining('xz -d'),
    });
    expect(readArchiveKind(Buffer.from('manifest.json\0\0\0'))).toBe('none');
  });
});
