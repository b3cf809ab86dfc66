// Server entry of the Managed Login app, bundled to dist/managed-login/server.mjs: the emulator
// imports it at run time to render each page's HTML before the browser hydrates it.
import { renderToString } from 'react-dom/server';
import type { ManagedModel } from '../model.js';
import { App } from './App.js';

export function renderApp(model: ManagedModel): string {
  return renderToString(<App model={model} />);
}
