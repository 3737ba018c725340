// Types of scripts/esbuild-options.mjs, for the TypeScript tests that bundle with the build's options.
import type { BuildOptions } from 'esbuild';

export declare const mainBundle: BuildOptions;
export declare const preloadBundle: BuildOptions;
export declare const serveBundle: BuildOptions;
export declare function serviceWorkerBundle(build: { assets: string[]; buildId: string }): BuildOptions;
