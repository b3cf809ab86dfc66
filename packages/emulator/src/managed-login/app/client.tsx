// Browser entry of the Managed Login app, bundled to dist/managed-login/app.js: it reads the model
// the server rendered with and hydrates the page after the configured delay (a real page hydrates
// once its chunks have loaded and run; the delay stands for that).
import { hydrateRoot } from 'react-dom/client';
import { MODEL_ELEMENT_ID, type ManagedModel } from '../model.js';
import { App } from './App.js';

const model = JSON.parse(document.getElementById(MODEL_ELEMENT_ID)?.textContent ?? '{}') as ManagedModel;
const root = document.getElementById('root');
if (root) window.setTimeout(() => hydrateRoot(root, <App model={model} />), Math.max(0, model.hydrationDelayMs ?? 0));
