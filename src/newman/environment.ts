// Reading a Postman environment or globals file (-e, -g, API_TEST_ENVIRONMENT): Postman 2.1 JSON
// or Postman v12's Git-native YAML (`*.environment.yaml`, `*.globals.yaml`), as the one 2.1 object
// Newman takes, and the values marked secret, which the run then hides everywhere as it hides tokens.
import { usageError } from '../errors.js';
import { registerSecret } from '../log.js';
import { readSource } from './load.js';

export type ScopeKind = 'environment' | 'globals';

/** One variable as Newman's 2.1 environment and globals hold it. */
export interface ScopeValue {
  key: string;
  value: string;
  type: string;
  enabled: boolean;
}

/** The 2.1 environment or globals object `newman.run` takes for `environment` / `globals`. */
export interface PostmanVariableScope {
  id?: string;
  name: string;
  values: ScopeValue[];
  _postman_variable_scope: ScopeKind;
}

export interface VariableScopeFile {
  /** Path or URL the scope was read from (for messages). */
  source: string;
  scope: PostmanVariableScope;
  /** The enabled values by key: what `{{references}}` resolve to (auth block, undefined-variable check). */
  values: Record<string, string>;
  /** Every value marked secret (v3 `type: secret` or `secret: true`, 2.1 `"type": "secret"`), enabled or not. */
  secrets: string[];
}

const FILE_WORD: Record<ScopeKind, string> = { environment: 'environment', globals: 'globals file' };

function pathOf(source: string): string {
  if (!/^https?:\/\//i.test(source)) return source;
  try {
    return new URL(source).pathname;
  } catch {
    return source;
  }
}

/** YAML by its ending (Postman writes `.environment.yaml`, accepts `.yml`); JSON by its ending or its first character. */
function isYaml(source: string, text: string): boolean {
  if (/\.ya?ml$/i.test(pathOf(source))) return true;
  if (/\.json$/i.test(pathOf(source))) return false;
  const first = text.trimStart()[0];
  return first !== '{' && first !== '[';
}

interface Located {
  /** The parsed root. */
  root: unknown;
  /** 1-based line of the node at a path, when the format knows lines (YAML). */
  lineOf: (path: readonly (string | number)[]) => number | undefined;
  format: 'YAML' | 'JSON';
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isContent = (l: string) => l.trim() !== '' && !l.trimStart().startsWith('#');
const indentOf = (l: string) => l.length - l.trimStart().length;

/**
 * The 1-based line of `path` (a top-level key, `values`, `values[i]`, `values[i].field`) in the
 * block-style YAML Postman writes; the nearest enclosing line it finds, else undefined. Only asked
 * for when something is wrong, so a scan of the text is enough (js-yaml keeps no node positions).
 */
export function yamlLineOf(text: string, path: readonly (string | number)[]): number | undefined {
  const lines = text.split(/\r?\n/);
  if (path.length === 0) {
    const first = lines.findIndex(isContent);
    return first >= 0 ? first + 1 : undefined;
  }
  const top = new RegExp(`^(["']?)${escapeRe(String(path[0]))}\\1\\s*:`);
  const keyLine = lines.findIndex((l) => top.test(l));
  if (keyLine < 0) return undefined;
  if (path.length === 1 || typeof path[1] !== 'number') return keyLine + 1;
  // The list's items: "- " lines at the first item's indentation, until the next top-level key.
  const items: number[] = [];
  let itemIndent: number | undefined;
  for (let j = keyLine + 1; j < lines.length; j++) {
    const l = lines[j]!;
    if (!isContent(l)) continue;
    const dash = /^(\s*)-(\s|$)/.exec(l);
    if (itemIndent === undefined && dash) itemIndent = dash[1]!.length;
    if (indentOf(l) === 0 && !(dash && itemIndent === 0)) break;
    if (dash && dash[1]!.length === itemIndent) items.push(j);
  }
  const item = items[path[1]];
  if (item === undefined) return keyLine + 1;
  if (path.length === 2) return item + 1;
  const field = new RegExp(`^\\s*(?:-\\s+)?(["']?)${escapeRe(String(path[2]))}\\1\\s*:`);
  const next = items[path[1] + 1] ?? lines.length;
  for (let j = item; j < next; j++) if (field.test(lines[j]!)) return j + 1;
  return item + 1;
}

async function parseYaml(text: string, source: string, kind: ScopeKind): Promise<Located> {
  // Loaded only for a YAML file: a run with a JSON environment never pays for the parser. js-yaml,
  // as the v3 collection reader uses; its core schema keeps yes/no/on as strings, as Postman does.
  const { default: jsYaml } = await import('js-yaml');
  let root: unknown;
  try {
    root = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, json: false });
  } catch (err) {
    const e = err as { mark?: { line?: number; column?: number }; reason?: string };
    // The reason alone: js-yaml's message quotes the file's text, which may hold a secret.
    const at = e.mark?.line === undefined ? '' : `line ${e.mark.line + 1}, column ${(e.mark.column ?? 0) + 1}: `;
    throw usageError(`${kind.toUpperCase()}_INVALID`, `The ${FILE_WORD[kind]} ${source} is not valid YAML: ${at}${e.reason ?? 'it does not parse'}.`, {
      hint: `Fix the YAML at that line, or write the ${FILE_WORD[kind]} from Postman again.`,
    });
  }
  return { root, format: 'YAML', lineOf: (path) => yamlLineOf(text, path) };
}

function parseJsonScope(text: string, source: string, kind: ScopeKind): Located {
  try {
    return { root: JSON.parse(text) as unknown, format: 'JSON', lineOf: () => undefined };
  } catch (cause) {
    throw usageError(`${kind.toUpperCase()}_INVALID`, `The ${FILE_WORD[kind]} ${source} is not valid JSON.`, {
      hint: `Export the ${FILE_WORD[kind]} from Postman again (JSON), or give its Postman v12 YAML file (*.${kind === 'environment' ? 'environment' : 'globals'}.yaml).`,
      cause,
    });
  }
}

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * The 2.1 scope of a parsed environment or globals file. A wrong shape is a usage error naming
 * the file, the field and (YAML) the line; values never appear in a message, they may be secrets.
 */
function toScope(parsed: Located, source: string, kind: ScopeKind): { scope: PostmanVariableScope; secrets: string[] } {
  const wrong = (path: (string | number)[], what: string): never => {
    const line = parsed.lineOf(path);
    const field = path.length ? path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '') : 'the file';
    throw usageError(`${kind.toUpperCase()}_INVALID`, `The ${FILE_WORD[kind]} ${source} is not a Postman ${FILE_WORD[kind]}: ${line ? `line ${line}, ` : ''}${field} ${what}.`, {
      hint: `A Postman ${kind} is {name, values: [{key, value, enabled, type: default|secret}]}; fix that ${parsed.format === 'YAML' ? 'line' : 'field'} or write the file from Postman again.`,
    });
  };
  const root = parsed.root;
  if (!isMap(root)) wrong([], `must be a map with "name" and "values" (found ${root === null || root === undefined ? 'nothing' : Array.isArray(root) ? 'a list' : `a ${typeof root}`})`);
  const r = root as Record<string, unknown>;
  if (r.name !== undefined && r.name !== null && typeof r.name !== 'string') wrong(['name'], 'must be text');
  const rawValues = r.values ?? [];
  if (!Array.isArray(rawValues)) wrong(['values'], 'must be a list of {key, value, enabled, type}');
  const values: ScopeValue[] = [];
  const secrets: string[] = [];
  (rawValues as unknown[]).forEach((entry, i) => {
    const at = (...rest: string[]) => ['values', i, ...rest];
    if (!isMap(entry)) return wrong(at(), 'must be a map with "key" and "value"');
    if (typeof entry.key !== 'string' || entry.key === '') wrong(at('key'), 'must be a non-empty text');
    const v = entry.value;
    if (v !== undefined && v !== null && !['string', 'number', 'boolean'].includes(typeof v)) wrong(at('value'), `must be text (found ${Array.isArray(v) ? 'a list' : 'a map'})`);
    if (entry.enabled !== undefined && typeof entry.enabled !== 'boolean') wrong(at('enabled'), 'must be true or false');
    // Any text, as `postman environment lint` allows: only `secret` means something here (2.1 also has `any`, `text`).
    if (entry.type !== undefined && typeof entry.type !== 'string') wrong(at('type'), 'must be text (default or secret)');
    if (entry.secret !== undefined && typeof entry.secret !== 'boolean') wrong(at('secret'), 'must be true or false');
    const value = v === undefined || v === null ? '' : String(v);
    const secret = entry.type === 'secret' || entry.secret === true;
    if (secret && value !== '') secrets.push(value);
    values.push({ key: entry.key as string, value, type: secret ? 'secret' : typeof entry.type === 'string' ? entry.type : 'default', enabled: entry.enabled !== false });
  });
  return {
    scope: {
      ...(typeof r.id === 'string' ? { id: r.id } : {}),
      name: typeof r.name === 'string' ? r.name : '',
      values,
      _postman_variable_scope: kind,
    },
    secrets,
  };
}

/** Parse the text of an environment or globals file (`source` names it in messages and decides JSON or YAML by its ending). */
export async function parseVariableScope(text: string, source: string, kind: ScopeKind): Promise<VariableScopeFile> {
  const parsed = isYaml(source, text) ? await parseYaml(text, source, kind) : parseJsonScope(text, source, kind);
  const { scope, secrets } = toScope(parsed, source, kind);
  const values: Record<string, string> = {};
  for (const v of scope.values) if (v.enabled) values[v.key] = v.value;
  return { source, scope, values, secrets };
}

/**
 * Read the environment (`-e`) or globals (`-g`) file at a path or http(s) URL: Postman 2.1 JSON or
 * v12 YAML. Rejects with a usage error (exit 2) naming the file, and for YAML the line.
 */
export async function readVariableScope(source: string, kind: ScopeKind): Promise<VariableScopeFile> {
  return parseVariableScope(await readSource(source, kind === 'environment' ? 'environment' : 'globals'), source, kind);
}

/** The environment and globals of one run, read once (the run command's preflight) and handed to newman as objects. */
export interface RunScopes {
  environment?: VariableScopeFile;
  globals?: VariableScopeFile;
}

/** Read the plan's -e and -g files (those not given are left out). */
export async function readRunScopes(plan: { environment?: string; globals?: string }): Promise<RunScopes> {
  const [environment, globals] = await Promise.all([
    plan.environment ? readVariableScope(plan.environment, 'environment') : undefined,
    plan.globals ? readVariableScope(plan.globals, 'globals') : undefined,
  ]);
  return { ...(environment ? { environment } : {}), ...(globals ? { globals } : {}) };
}

/**
 * Make every secret-marked value a secret of the process (log.ts), as tokens are: every log line,
 * report, export, console line and GitHub Actions mask then treats it as one.
 */
export function registerScopeSecrets(scopes: RunScopes): void {
  for (const scope of [scopes.environment, scopes.globals]) for (const s of scope?.secrets ?? []) registerSecret(s);
}
