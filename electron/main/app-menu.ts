import type { MenuItemConstructorOptions } from 'electron';

/** Links in the Help menu; each opens in the user's browser. */
export const HELP_LINKS: ReadonlyArray<{ label: string; url: string }> = [
  {
    label: 'Installing the NVIDIA Container Toolkit',
    url: 'https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html',
  },
  { label: 'Installing Docker Engine', url: 'https://docs.docker.com/engine/install/' },
  { label: 'The DeiT paper (Touvron et al., 2021)', url: 'https://arxiv.org/abs/2012.12877' },
];

/** What the menu's own items do. */
export interface AppMenuActions {
  isMac: boolean;
  /** Development build: adds reload and DevTools to the View menu. */
  isDev: boolean;
  openDataFolder(): void;
  openExternal(url: string): void;
}

/**
 * The application menu: App (macOS) / File / Edit / View / Window / Help, standard roles wherever one
 * exists so shortcuts and platform behaviour come from Electron.
 */
export function appMenuTemplate(actions: AppMenuActions): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Open Data Folder', click: () => actions.openDataFolder() },
      { type: 'separator' },
      actions.isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...(actions.isDev
        ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[])
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: HELP_LINKS.map((link) => ({ label: link.label, click: () => actions.openExternal(link.url) })),
  };
  return [
    ...(actions.isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    file,
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
    help,
  ];
}
