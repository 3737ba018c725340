import Ajv from 'ajv';
import { build } from 'esbuild';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { APP_ID } from '../../electron/main/app-id';
import { mainBundle } from '../../scripts/esbuild-options.mjs';

const root = path.resolve(__dirname, '../..');
const require = createRequire(import.meta.url);
/** The parts of the config these tests read. */
interface BuilderConfig {
  appId: string;
  productName: string;
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  files: string[];
  extraResources: unknown;
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
}
const config = YAML.parse(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): [number, number] {
  const bytes = fs.readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's own JSON schema", () => {
    const schema = require('app-builder-lib/scheme.json') as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(validate({ ...config, snapp: {} })).toBe(false); // the schema does reject unknown keys
  });

  it('ships docker/ outside asar as resources/docker', () => {
    expect(config.asar).toBe(true);
    const sets = ([] as unknown[]).concat(config.extraResources);
    expect(sets).toContainEqual(expect.objectContaining({ from: 'docker', to: 'docker' }));
  });

  it('ships the sample dataset archive beside docker/, where the desktop app looks for it', () => {
    const sets = ([] as unknown[]).concat(config.extraResources);
    expect(sets).toContainEqual({ from: 'assets/sample-digits.tar.gz', to: 'sample-digits.tar.gz' });
    expect(fs.statSync(path.join(root, 'assets/sample-digits.tar.gz')).size).toBeLessThan(1024 * 1024);
  });

  it('packs the built bundles and package.json only: no sources, tests, docker/ or node_modules but sharp', () => {
    expect(config.files).toEqual(expect.arrayContaining(['dist/electron/**', 'dist/renderer/**', 'package.json']));
    // All node_modules out, then sharp (native) and its dependencies back in, unpacked from the archive.
    const out = config.files.indexOf('!**/node_modules/**');
    expect(out).toBeGreaterThan(-1);
    const back = config.files.slice(out + 1).filter((p: string) => p.startsWith('node_modules/'));
    const sharpPackage = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/sharp/package.json'), 'utf8'));
    const sharpDeps = Object.keys(sharpPackage.dependencies as object);
    const needed = ['sharp', '@img', ...sharpDeps.filter((d) => !d.startsWith('@img/'))];
    expect(back.sort()).toEqual(needed.map((d) => `node_modules/${d}/**`).sort());
    expect(config.asarUnpack).toEqual(['**/node_modules/sharp/**/*', '**/node_modules/@img/**/*']);
    for (const pattern of config.files) {
      expect(pattern).not.toMatch(/^(electron|renderer|tests|docker|scripts)\b/);
    }
    expect(config.npmRebuild).toBe(false);
  });

  it('builds AppImage + deb (no snap), nsis and dmg, with the appId the app uses', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(JSON.stringify(config)).not.toMatch(/snap/);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.appId).toBe(APP_ID);
    expect(config.productName).toBe('DeiT Studio');
  });

  it('points at icons that exist in the sizes each platform needs', () => {
    const icons = path.join(root, config.linux.icon);
    expect(pngSize(path.join(icons, '512x512.png'))).toEqual([512, 512]);
    expect(pngSize(path.join(icons, '256x256.png'))).toEqual([256, 256]);
    expect(fs.readFileSync(path.join(root, config.win.icon)).readUInt16BE(0)).toBe(0); // ICO header
    expect(fs.readFileSync(path.join(root, config.mac.icon)).subarray(0, 4).toString('latin1')).toBe('icns');
  });

  it('keeps the app from being run as plain Node or with injected Node options', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
    });
  });
});

describe('main bundle', () => {
  it('bundles every dependency, so the package needs no node_modules', async () => {
    // The build's own options (scripts/esbuild-options.mjs): import('sharp') becomes require('sharp').
    const result = await build({ ...mainBundle, write: false, logLevel: 'silent' });
    const code = result.outputFiles[0]!.text;
    const requires = new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!));
    const builtins = new Set(require('node:module').builtinModules as string[]);
    // Optional modules their users load inside try/catch: absent in the package, and that is fine.
    // sharp ships as node_modules of its own (native, see electron-builder.yml), loaded on first use.
    const optional = new Set([
      'electron',
      'cpu-features',
      'osx-temperature-sensor',
      'macos-temperature-sensor',
      'sharp',
    ]);
    const leftover = [...requires].filter(
      (r) => !builtins.has(r.replace(/^node:/, '')) && !optional.has(r) && !r.endsWith('.node'),
    );
    expect(leftover).toEqual([]);
    expect(requires.has('sharp')).toBe(true); // loaded as CommonJS, from app.asar.unpacked
  });
});
