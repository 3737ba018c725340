import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { appMenuTemplate, HELP_LINKS } from '../../electron/main/app-menu';

function collect(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? collect(item.submenu) : [])]);
}

describe('application menu', () => {
  const opened: string[] = [];
  let dataFolderOpened = 0;
  const actions = {
    isMac: false,
    isDev: false,
    openDataFolder: () => void (dataFolderOpened += 1),
    openExternal: (url: string) => void opened.push(url),
  };

  it('has File, Edit, View, Window and Help built from standard roles', () => {
    const menu = appMenuTemplate(actions);
    expect(menu.map((m) => m.label ?? m.role)).toEqual(['File', 'editMenu', 'View', 'windowMenu', 'help']);
    const roles = collect(menu).map((m) => m.role);
    expect(roles).toEqual(expect.arrayContaining(['quit', 'resetZoom', 'togglefullscreen']));
    expect(roles).not.toContain('toggleDevTools');
  });

  it('adds the app menu on macOS and DevTools in development only', () => {
    const menu = appMenuTemplate({ ...actions, isMac: true, isDev: true });
    expect(menu[0]!.role).toBe('appMenu');
    expect(collect(menu).map((m) => m.role)).toEqual(expect.arrayContaining(['toggleDevTools', 'close']));
  });

  it('opens the help links in the browser and the data folder in the file manager', () => {
    const items = collect(appMenuTemplate(actions));
    for (const link of HELP_LINKS) {
      expect(link.url).toMatch(/^https:\/\//);
      const item = items.find((m) => m.label === link.label)!;
      item.click!({} as never, undefined, {} as never);
    }
    expect(opened).toEqual(HELP_LINKS.map((l) => l.url));
    items.find((m) => m.label === 'Open Data Folder')!.click!({} as never, undefined, {} as never);
    expect(dataFolderOpened).toBe(1);
  });
});
