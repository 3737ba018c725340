/**
 * What the browser benchmarks share: bundling a benchmark page (production React, the renderer's real
 * components) into a temp folder, and the Chromium they run in.
 *
 *   const url = await buildBenchPage('tests/bench/compare-page/main.tsx', 'Compare benchmark');
 *   const browser = await launchBenchChromium();
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';

// The bundle of a benchmark runs from a temp folder: resolve packages from the repository instead.
const root = process.cwd();
const requireFromRoot = createRequire(path.join(root, 'package.json'));

/** Bundles `entry` (relative to the repository) with an index.html; returns the page's file:// address. */
export async function buildBenchPage(entry: string, title: string): Promise<string> {
  const esbuild = requireFromRoot('esbuild') as typeof import('esbuild');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'deit-bench-page-'));
  await esbuild.build({
    entryPoints: [path.join(root, entry)],
    outdir: out,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    alias: { '@contract': path.join(root, 'electron/contract') }, // as vite.config.ts resolves it
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  fs.writeFileSync(
    path.join(out, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
      '<link rel="stylesheet" href="main.css"></head><body><div id="root"></div><script src="main.js"></script></body></html>',
  );
  return pathToFileURL(path.join(out, 'index.html')).href;
}

/** Headless Chromium without background work that would compete with the measurement. */
export function launchBenchChromium(): Promise<Browser> {
  const { chromium } = requireFromRoot('playwright-core') as typeof import('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** One decimal, or null for what was not measured. */
export const round1 = (n: number): number | null => (Number.isFinite(n) ? Math.round(n * 10) / 10 : null);
