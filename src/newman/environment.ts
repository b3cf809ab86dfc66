// Reading a Postman environment or globals file (-e, -g, API_TEST_ENVIRONMENT): Postman 2.1 JSON
// or Postman v12's Git-native YAML (`*.environment.yaml`, `*.globals.yaml`), as the one 2.1 object
// Newman takes, and the values marked secret, which the run then hides everywhere as it hides tokens.
import type { Document } from 'yaml';
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

async function parseYaml(text: string, source: string, kind: ScopeKind): Promise<Located> {
  // Loaded only for a YAML file: a run with a JSON environment never pays for the YAML parser.
  const { LineCounter, parseDocument } = await import('yaml');
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const at = lineCounter.linePos(err.pos[0]);
    // The message alone: yaml's code frame would quote the file's text, which may hold a secret.
    const what = err.message.split(/ at line \d+/)[0]!.replace(/[.:\s]+$/, '');
    throw usageError(`${kind.toUpperCase()}_INVALID`, `The ${FILE_WORD[kind]} ${source} is not valid YAML: line ${at.line}, column ${at.col}: ${what}.`, {
      hint: `Fix the YAML at that line, or write the ${FILE_WORD[kind]} from Postman again.`,
    });
  }
  return {
    root: doc.toJS() as unknown,
    format: 'YAML',
    lineOf: (path) => {
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
        if (node && typeof node === 'object' && node.range) return lineCounter.linePos(node.range[0]).line;
      }
      return undefined;
    },
  };
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
    throw usageError(`${kind.toUpperCase()}_INVALID`, `The ${FILE_WORD[kind]} ${source} is not a Postman ${kind}: ${line ? `line ${line}, ` : ''}${field} ${what}.`, {
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
