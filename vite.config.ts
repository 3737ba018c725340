import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** `import … from '@contract'`: the API contract (electron/contract), the renderer's one link to the core. */
export const contractAlias = { '@contract': fileURLToPath(new URL('./electron/contract', import.meta.url)) };

/** The renderer build: one static site in dist/renderer, loaded by the Electron window and by serve mode. */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  resolve: { alias: contractAlias },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
});
