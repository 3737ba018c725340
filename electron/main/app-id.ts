/** The app's identity; must equal `appId` in electron-builder.yml (Windows ties notifications to it). */
export const APP_ID = 'org.deit-studio.app';
