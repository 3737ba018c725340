/**
 * Entry of the Electron main process, bundled to dist/electron/main.cjs (CommonJS, so __dirname is
 * the bundle's folder). Everything else lives in desktop-app.ts.
 */
import { app } from 'electron';
import { startDesktopApp } from './desktop-app';
import { desktopPaths } from './desktop-paths';

startDesktopApp(desktopPaths(__dirname, app.isPackaged, process.resourcesPath)).catch((error: unknown) => {
  console.error('DeiT Studio failed to start:', error);
  app.exit(1);
});
