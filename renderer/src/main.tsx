import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { takeTokenFromAddress } from './api/token';
import { App } from './app/App';
import { registerOfflineShell } from './app/offline-shell';
import './styles.css';

takeTokenFromAddress(); // serve mode: `/?token=…` → kept by this tab, and out of the address first
registerOfflineShell(); // serve mode: a reload while the server is down still shows the app

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
