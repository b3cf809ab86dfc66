// Before any sign-in: every `{{variable}}` a request URL (host, path, query) uses must be defined by
// something Newman will see (environment, globals, --env-var, data file, collection variables, the
// injected token variables) or set by a script; otherwise Newman would send `{{baseUrl}}` to DNS.
import { readFile } from 'node:fs/promises';
import { usageError } from '../errors.js';
import { readVariableScope } from './environment.js';
import type { Logger } from '../log.js';
import type { CollectionItem, CollectionJson } from './auth-block.js';
import { closestMatch } from 'leven';
import { nearEnough, type NewmanRunPlan } from './options.js';
import { DEFAULT_VARIABLE_NAMES, tokenVariableNames, type VariableNames } from './variables.js';

export { tokenVariableNames } from './variables.js';

/** One variable no source defines, and the first request whose URL needs it. */
export interface UndefinedUse {
  variable: string;
  /** "Folder / Request" of the first request that uses it. */
  request: string;
  /** Which part of the URL: host, path or query. */
  part: 'host' | 'path' | 'query' | 'URL';
}

export interface VariableSources {
  /** Names per source, for the message ("defined by the environment"). */
  environment?: Iterable<string>;
  globals?: Iterable<string>;
  envVar?: Iterable<string>;
  globalVar?: Iterable<string>;
  data?: Iterable<string>;
  tokens?: Iterable<string>;
}

// `{{name}}`; `{{$guid}}` and the other dynamic variables are Postman's own and always defined.
const REFERENCE = /\{\{\s*([^{}\s][^{}]*?)\s*\}\}/g;
// pm.environment.set('x', ...), pm.variables.set("x"), postman.setEnvironmentVariable(`x`), ...
const SETTER = String.raw`(?:pm\.(?:environment|variables|globals|collectionVariables|iterationData)\.set|postman\.set(?:Environment|Global)Variable)\(\s*`;
const LITERAL_SET = new RegExp(`${SETTER}(['"\`])([^'"\`]+)\\1`, 'g');
const COMPUTED_SET = new RegExp(`${SETTER}(?!['"\`])[^\\s)]`);

const references = (text: string): string[] => [...text.matchAll(REFERENCE)].map((m) => m[1]!).filter((n) => !n.startsWith('$'));

function scriptText(events: unknown): string {
  if (!Array.isArray(events)) return '';
  return events
    .map((e) => {
      const exec = (e as { script?: { exec?: unknown } })?.script?.exec;
      return Array.isArray(exec) ? exec.join('\n') : typeof exec === 'string' ? exec : '';
    })
    .join('\n');
}

type UrlPart = UndefinedUse['part'];

/** The URL pieces Newman sends, structured when the export has them (disabled query params skipped). */
function urlParts(url: unknown): Array<[UrlPart, string]> {
  if (typeof url === 'string') return [['URL', url]];
  if (!url || typeof url !== 'object') return [];
  const u = url as { raw?: unknown; host?: unknown; path?: unknown; port?: unknown; query?: unknown };
  const join = (v: unknown, sep: string) => (Array.isArray(v) ? v.map((p) => (typeof p === 'string' ? p : ((p as { value?: string })?.value ?? ''))).join(sep) : typeof v === 'string' ? v : '');
  if (u.host === undefined && u.path === undefined && typeof u.raw === 'string') return [['URL', u.raw]];
  const out: Array<[UrlPart, string]> = [
    ['host', `${join(u.host, '.')}${typeof u.port === 'string' ? `:${u.port}` : ''}`],
    ['path', join(u.path, '/')],
  ];
  if (Array.isArray(u.query)) {
    for (const q of u.query as Array<{ key?: unknown; value?: unknown; disabled?: unknown }>) {
      if (q && q.disabled !== true) out.push(['query', `${String(q.key ?? '')}=${String(q.value ?? '')}`]);
    }
  }
  return out;
}

interface Scan {
  uses: Map<string, UndefinedUse>;
  itemVariables: Set<string>;
  scriptSets: Set<string>;
  computedSets: boolean;
}

function scan(collection: CollectionJson, folders: readonly string[] | undefined): Scan {
  const s: Scan = { uses: new Map(), itemVariables: new Set(), scriptSets: new Set(), computedSets: false };
  const readScripts = (events: unknown) => {
    const text = scriptText(events);
    for (const m of text.matchAll(LITERAL_SET)) s.scriptSets.add(m[2]!);
    if (COMPUTED_SET.test(text)) s.computedSets = true;
  };
  readScripts(collection.event);
  const walk = (items: CollectionItem[] | undefined, trail: string[], selected: boolean) => {
    for (const item of items ?? []) {
      const name = item.name ?? '(unnamed)';
      // --folder runs only the named folders (by name or id, at any depth), as newman does.
      const inRun = selected || !folders || folders.includes(name) || (typeof item.id === 'string' && folders.includes(item.id));
      readScripts(item.event);
      if (Array.isArray(item.variable)) for (const v of item.variable as Array<{ key?: unknown }>) if (typeof v?.key === 'string') s.itemVariables.add(v.key);
      if (Array.isArray(item.item)) {
        walk(item.item, [...trail, name], inRun);
        continue;
      }
      if (!inRun) continue;
      const request = item.request;
      const url = typeof request === 'string' ? request : request?.url;
      for (const [part, text] of urlParts(url)) {
        for (const variable of references(text)) {
          if (!s.uses.has(variable)) s.uses.set(variable, { variable, request: [...trail, name].join(' / '), part });
        }
      }
    }
  };
  walk(collection.item, [], false);
  return s;
}

/**
 * The variables that request URLs use and nothing defines (pure). A variable that a script sets
 * under a literal name counts as defined; `computedSets` says a script sets names this cannot read.
 */
export function findUndefinedUrlVariables(
  collection: CollectionJson,
  sources: VariableSources,
  folders?: readonly string[],
): { missing: UndefinedUse[]; computedSets: boolean; defined: string[] } {
  const s = scan(collection, folders);
  const defined = new Set<string>([...s.itemVariables, ...s.scriptSets]);
  for (const v of collection.variable ?? []) if (typeof v.key === 'string' && v.disabled !== true) defined.add(v.key);
  for (const names of Object.values(sources)) for (const n of names ?? []) defined.add(n);
  return { missing: [...s.uses.values()].filter((u) => !defined.has(u.variable)), computedSets: s.computedSets, defined: [...defined] };
}

/** Column names of a data file (-d): the keys of a JSON array's objects, or a CSV header. Unreadable: none (Newman says why). */
async function dataFileNames(path: string | undefined): Promise<string[]> {
  if (!path || /^https?:\/\//i.test(path)) return [];
  const text = await readFile(path, 'utf8').catch(() => '');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    try {
      const rows = JSON.parse(trimmed) as unknown[];
      return [...new Set(rows.flatMap((r) => (r && typeof r === 'object' ? Object.keys(r) : [])))];
    } catch {
      return [];
    }
  }
  const header = trimmed.split(/\r?\n/, 1)[0] ?? '';
  return header.split(',').map((h) => h.trim().replace(/^"|"$/g, '')).filter(Boolean);
}

/** The enabled variable names of a globals file (2.1 JSON or v12 YAML). Unreadable: none (the preflight said why). */
async function fileValueNames(path: string | undefined): Promise<string[]> {
  if (!path || /^https?:\/\//i.test(path)) return [];
  try {
    return Object.keys((await readVariableScope(path, 'globals')).values);
  } catch {
    return [];
  }
}

export interface UrlVariableCheck {
  collection: CollectionJson;
  plan: NewmanRunPlan;
  /** The environment's enabled values (already loaded by the run command). */
  environment: Record<string, string>;
  /** Configured user names (`default` and the TEST_USERS names). */
  userNames: readonly string[];
  variableNames?: Partial<VariableNames>;
  /** --allow-undefined-variables: warn instead of stopping. */
  allow: boolean;
  logger: Logger;
}

function where(u: UndefinedUse, userNames: readonly string[], defined: string[]): string {
  const tokenSuffix = Object.values(DEFAULT_VARIABLE_NAMES).find((n) => u.variable.endsWith(`_${n}`));
  const near = closestMatch(u.variable, defined.filter((d) => d !== u.variable), { maxDistance: nearEnough(u.variable) });
  let text = `{{${u.variable}}} (first used in the ${u.part} of "${u.request}")`;
  if (tokenSuffix) {
    const user = u.variable.slice(0, -tokenSuffix.length - 1);
    text += ` is the ${tokenSuffix} of a user "${user}", who is not configured (configured: ${userNames.join(', ') || 'none'}); add ${user} to TEST_USERS with TEST_USER_${user.toUpperCase()}_USERNAME/_PASSWORD`;
  } else {
    text += ` would normally come from the Postman environment (-e, or API_TEST_ENVIRONMENT for npm run api-test) or --env-var ${u.variable}=<value>`;
  }
  return near ? `${text} (did you mean {{${near}}}?)` : text;
}

/**
 * Stop with exit 2 (or warn, with `allow`) when a request URL uses a variable nothing defines.
 * Needs only names, so it runs before any sign-in.
 */
export async function checkUrlVariables(input: UrlVariableCheck): Promise<UndefinedUse[]> {
  const { plan } = input;
  const sources: VariableSources = {
    environment: Object.keys(input.environment),
    globals: await fileValueNames(plan.globals),
    envVar: plan.envVar.map((v) => v.key),
    globalVar: plan.globalVar.map((v) => v.key),
    data: await dataFileNames(plan.iterationData),
    tokens: tokenVariableNames(input.userNames, input.variableNames),
  };
  const { missing, computedSets, defined } = findUndefinedUrlVariables(input.collection, sources, plan.folder);
  if (missing.length === 0) return missing;
  const list = missing.map((u) => where(u, input.userNames, defined)).join('; ');
  const scripts = computedSets ? ' A script of the collection sets variables by computed names and might define it.' : '';
  const message = `${missing.length === 1 ? 'A request URL uses a variable' : `Request URLs use ${missing.length} variables`} that no environment, global, --env-var, data file, collection variable or token variable defines, and no script sets: ${list}.${scripts}`;
  if (input.allow) {
    input.logger.warn(`${message} Running anyway (--allow-undefined-variables).`);
    return missing;
  }
  throw usageError('VARIABLE_UNDEFINED', message, {
    hint: 'Define it as said above; if a script sets it at run time, pass --allow-undefined-variables to run with a warning instead.',
    details: Object.fromEntries(missing.map((u) => [u.variable, u.request])),
  });
}
