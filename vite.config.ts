import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The renderer build: one static site in dist/renderer, loaded by the Electron window and by serve mode. */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
});
