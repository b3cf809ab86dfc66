// Reading the collection and environment the user names (a path or a URL), so the auth block can
// serve as configuration and receive the token before Newman sees the collection.
import { readFile } from 'node:fs/promises';
import { usageError } from '../errors.js';
import type { CollectionJson } from './auth-block.js';
import type { KeyValue } from './options.js';
import { readVariableScope } from './environment.js';
import { isV3CollectionPath } from './v3/detect.js';

const isUrl = (s: string) => /^https?:\/\//i.test(s);

/** The text at a path or http(s) URL; a usage error naming `what` when it cannot be had. */
export async function readSource(source: string, what: string): Promise<string> {
  if (isUrl(source)) {
    let res: Response;
    try {
      res = await fetch(source, { signal: AbortSignal.timeout(30_000) });
    } catch (cause) {
      throw usageError(`${what.toUpperCase()}_UNREACHABLE`, `The ${what} URL ${source} could not be fetched.`, { hint: 'Check the URL and the network, or download the file and pass its path.', cause });
    }
    if (!res.ok) {
      throw usageError(`${what.toUpperCase()}_UNREACHABLE`, `The ${what} URL ${source} answered HTTP ${res.status}.`, { hint: 'Check the URL (and that it needs no sign-in), or pass a file path.' });
    }
    return res.text();
  }
  try {
    return await readFile(source, 'utf8');
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    throw usageError(`${what.toUpperCase()}_NOT_FOUND`, `The ${what} file ${source} could not be read${code ? ` (${code})` : ''}.`, { hint: `Check the path of the ${what}.`, cause });
  }
}

function parseJson(text: string, source: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw usageError(`${what.toUpperCase()}_INVALID`, `The ${what} ${source} is not valid JSON.`, { hint: `Export the ${what} from Postman again (Collection v2.1).`, cause });
  }
}

export interface LoadCollectionOptions {
  /** Where the v3 reader's warnings go (one line each); dropped when absent. */
  warn?: (line: string) => void;
}

/**
 * The collection as JSON: from a path, an http(s) URL or an object already loaded. The Postman
 * API's `{ "collection": {...} }` wrapper is unwrapped as newman does. A directory is a Postman
 * v3 (Git-native) collection folder, read into the same v2.1 object (src/newman/v3/).
 */
export async function loadCollection(source: string | object, options: LoadCollectionOptions = {}): Promise<CollectionJson> {
  if (typeof source === 'string' && (await isV3CollectionPath(source))) {
    // Loaded only for a folder: a JSON collection's run never pays for the YAML reader.
    const { readV3Collection } = await import('./v3/read.js');
    const { collection, warnings } = await readV3Collection(source);
    for (const w of warnings) options.warn?.(w);
    return collection;
  }
  if (typeof source === 'string' && !isUrl(source) && /\.ya?ml$/i.test(source)) {
    throw usageError('COLLECTION_INVALID', `The collection ${source} is a YAML file; a Postman v3 collection is read as a whole folder.`, {
      hint: "Pass the collection's folder (the one holding .resources/definition.yaml and the *.request.yaml files), or a Collection v2.1 JSON file.",
    });
  }
  const name = typeof source === 'string' ? source : 'given';
  let json: unknown = typeof source === 'string' ? parseJson(await readSource(source, 'collection'), source, 'collection') : source;
  if (json && typeof json === 'object' && !('info' in json) && 'collection' in json) json = (json as { collection: unknown }).collection;
  if (!json || typeof json !== 'object' || Array.isArray(json) || !('item' in json || 'info' in json)) {
    throw usageError('COLLECTION_INVALID', `The collection ${name} is not a Postman collection (no "info" or "item").`, { hint: 'Export it from Postman as Collection v2.1.' });
  }
  return json as CollectionJson;
}

/** The enabled values of a Postman environment file, 2.1 JSON or v12 YAML (environment.ts). */
export async function loadEnvironmentValues(source: string | undefined): Promise<Record<string, string>> {
  if (!source) return {};
  return (await readVariableScope(source, 'environment')).values;
}

/** The variables an auth block's `{{references}}` resolve against: the environment, then --env-var on top. */
export function authVariables(environment: Record<string, string>, envVar: readonly KeyValue[] = []): Record<string, string> {
  const out = { ...environment };
  for (const { key, value } of envVar) out[key] = value;
  return out;
}
