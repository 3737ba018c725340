import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { contractAlias } from './vite.config';

/**
 * Three projects: fast Node unit tests (core, contract, shells), integration tests against the real
 * Docker Engine and trainer image (serial, slow), and renderer component tests in jsdom.
 * `npm test` (scripts/test.mjs) runs them all; `npx vitest run --project unit` runs one.
 * A fourth, `faults` (tests/faults/: it stops, kills and restarts the private Docker Engine), exists
 * only when asked for by name — `npx vitest run --project faults` — so a plain `vitest run` never runs it.
 */
const argv = process.argv;
const faultsAsked = argv.some(
  (arg, i) => arg === '--project=faults' || (arg === '--project' && argv[i + 1] === 'faults'),
);

export default defineConfig({
  test: {
    projects: [
      ...(faultsAsked
        ? [
            {
              resolve: { alias: contractAlias }, // fault-kit feeds the renderer's live store
              test: {
                name: 'faults',
                environment: 'node',
                include: ['tests/faults/**/*.test.ts'],
                globalSetup: ['tests/faults/global-setup.ts'],
                fileParallelism: false,
                testTimeout: 900_000,
                hookTimeout: 900_000,
              },
            },
          ]
        : []),
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['tests/unit/**/*.test.ts', 'tests/shell/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/integration/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 900_000,
        },
      },
      {
        plugins: [react()],
        resolve: { alias: contractAlias },
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['tests/renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['tests/renderer/setup.ts'],
          globals: true,
        },
      },
    ],
  },
});
