// The v3 fields of a request, folder or collection as their v2.1 equivalents: key/value lists,
// auth, scripts, bodies, settings, saved examples. Pure functions; `note` receives one line for each
// thing that Newman cannot do or 2.1 cannot say, and the file it came from.
import { createRequire } from 'node:module';

// Newman's own URL parser (CommonJS, the version Newman uses), so a url splits as Newman would split it.
const { Url } = createRequire(import.meta.url)('postman-collection') as typeof import('postman-collection');

type Obj = Record<string, unknown>;
export type Note = (line: string) => void;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));

export interface KeyValue {
  key: string;
  value: string;
  description?: string;
  disabled?: boolean;
  [k: string]: unknown;
}

/**
 * A v3 list in either form Postman writes: an array of `{key, value, description?, disabled?}` or
 * a map `{Name: value}`. Values become strings (YAML may have read `5` as a number).
 */
export function keyValues(v: unknown): KeyValue[] {
  if (Array.isArray(v)) {
    return v.filter(isObj).map((e) => {
      const out: KeyValue = { key: str(e.key), value: str(e.value) };
      if (e.description !== undefined) out.description = str(e.description);
      if (e.disabled === true) out.disabled = true;
      return out;
    });
  }
  if (isObj(v)) return Object.entries(v).map(([key, value]) => ({ key, value: str(value) }));
  return [];
}

/** Auth types postman-runtime 7 (Newman 6) can apply; others are sent as written and named in a warning. */
export const NEWMAN_AUTH_TYPES = new Set(['noauth', 'basic', 'bearer', 'apikey', 'digest', 'oauth1', 'oauth2', 'hawk', 'awsv4', 'ntlm', 'edgegrid', 'jwt', 'asap']);
const V3_AUTH_TYPES = new Set([...NEWMAN_AUTH_TYPES, 'azure', 'sasl', 'inherit']);

/**
 * One v3 auth entry `{type, credentials}` as a 2.1 auth block; undefined means inherit (no
 * `auth`, or `type: inherit`). Credential keys are the 2.1 names already (a map or `{key, value}` list).
 */
export function authBlock(entry: unknown, where: string, note: Note): Obj | undefined {
  if (!isObj(entry)) return undefined;
  const type = str(entry.type);
  if (!type || type === 'inherit') return undefined;
  if (type === 'noauth') return { type: 'noauth' };
  if (!V3_AUTH_TYPES.has(type)) note(`${where}: auth type "${type}" is not a Postman auth type; kept as written, Newman will send the request without it.`);
  else if (!NEWMAN_AUTH_TYPES.has(type)) note(`${where}: ${type} auth cannot be applied by Newman; the request is sent without it.`);
  const creds = entry.credentials;
  const params: Obj[] = [];
  const push = (key: string, value: unknown) => params.push({ key, value, type: typeof value === 'boolean' ? 'boolean' : typeof value === 'string' ? 'string' : 'any' });
  if (Array.isArray(creds)) for (const c of creds) if (isObj(c) && typeof c.key === 'string') push(c.key, c.value);
  if (isObj(creds)) for (const [k, v] of Object.entries(creds)) push(k, v);
  return { type, [type]: params };
}

/**
 * A collection's or folder's auth: an array of entries (multi-auth) or one map. 2.1 has one block:
 * the first entry is used. UNCERTAIN in the reference: how `rules` choose among several.
 */
export function containerAuth(v: unknown, where: string, note: Note): Obj | undefined {
  const entries = Array.isArray(v) ? v.filter(isObj) : isObj(v) ? [v] : [];
  if (entries.length === 0) return undefined;
  if (entries.length > 1) note(`${where}: ${entries.length} auth entries (multi-auth); 2.1 has one, the first (${str(entries[0]!.type)}) is used.`);
  if (entries[0]!.rules !== undefined) note(`${where}: auth "rules" have no 2.1 equivalent; the auth applies to every request that inherits it.`);
  return authBlock(entries[0], where, note);
}

/** Which v3 script types become which 2.1 events, by where the script stands and what it serves. */
const SCRIPT_EVENTS = {
  request: { beforeRequest: 'prerequest', afterResponse: 'test' },
  container: { 'http:beforeRequest': 'prerequest', 'http:afterResponse': 'test', beforeRequest: 'prerequest', afterResponse: 'test' },
  'graphql-request': { beforeQuery: 'prerequest', afterResponse: 'test' },
  'graphql-container': { 'graphql:beforeQuery': 'prerequest', 'graphql:afterResponse': 'test' },
} as const satisfies Record<string, Record<string, string>>;
export type ScriptLevel = keyof typeof SCRIPT_EVENTS;

/**
 * v3 `scripts: [{type, code, language?}]` as 2.1 `event: [{listen, script: {type, exec}}]`. On a
 * collection or folder, `graphql:` scripts are read separately (for the GraphQL requests below) and
 * the other protocols' are named as not run.
 */
export function scriptEvents(v: unknown, level: ScriptLevel, where: string, note: Note): Obj[] {
  if (!Array.isArray(v)) return [];
  const map: Record<string, string> = SCRIPT_EVENTS[level];
  const events: Obj[] = [];
  for (const s of v) {
    if (!isObj(s)) continue;
    const type = str(s.type);
    const listen = map[type];
    if (!listen) {
      if (level === 'container' && type.startsWith('graphql:')) continue;
      if (level === 'graphql-container') continue;
      note(`${where}: script of type "${type}" is not run by Newman (HTTP and GraphQL requests only); skipped.`);
      continue;
    }
    if (s.packages !== undefined || s.requests !== undefined) note(`${where}: the ${type} script imports packages from Postman's package library, which cannot be fetched offline; pm.require() of them will fail.`);
    events.push({ listen, script: { type: typeof s.language === 'string' ? s.language : 'text/javascript', exec: str(s.code).split('\n') } });
  }
  return events;
}

/** v3 `variables` (a map, or an array of `{key, value, description?, disabled?}`) as a 2.1 `variable` list. */
export function variables(v: unknown): KeyValue[] {
  return keyValues(v);
}

const RAW_LANGUAGES = new Set(['json', 'text', 'xml', 'html', 'javascript']);

/** Resolves a file reference (formdata file part, file body) the way the run or the conversion wants it. */
export type FileResolver = (src: string) => string;

/** v3 `body: {type, content}` as a 2.1 body; undefined for none. */
export function body(v: unknown, where: string, resolveFile: FileResolver, note: Note): Obj | undefined {
  if (!isObj(v)) return undefined;
  const type = str(v.type);
  const content = v.content;
  if (type === 'none' || type === '') return undefined;
  if (RAW_LANGUAGES.has(type)) return { mode: 'raw', raw: str(content), options: { raw: { language: type } } };
  if (type === 'urlencoded') return { mode: 'urlencoded', urlencoded: keyValues(content).map((e) => ({ ...e, type: 'text' })) };
  if (type === 'formdata') {
    const parts: Obj[] = Array.isArray(content) ? content.filter(isObj) : isObj(content) ? Object.entries(content).map(([key, value]) => ({ key, value, type: 'text' })) : [];
    return {
      mode: 'formdata',
      formdata: parts.map((p) => {
        const part: Obj = { key: str(p.key) };
        if (p.type === 'file') {
          part.type = 'file';
          const src = p.src ?? p.value;
          part.src = Array.isArray(src) ? src.map((s) => resolveFile(str(s))) : src === undefined || src === null ? [] : resolveFile(str(src));
        } else {
          part.type = 'text';
          part.value = str(p.value);
        }
        if (p.contentType !== undefined) part.contentType = str(p.contentType);
        if (p.description !== undefined) part.description = str(p.description);
        if (p.disabled === true) part.disabled = true;
        return part;
      }),
    };
  }
  if (type === 'file') {
    const src = isObj(content) ? content.src : typeof content === 'string' ? content : v.src;
    return { mode: 'file', file: src === undefined || src === null ? {} : { src: resolveFile(str(src)) } };
  }
  if (type === 'graphql') {
    const c = isObj(content) ? content : {};
    return { mode: 'graphql', graphql: { query: str(c.query), variables: typeof c.variables === 'string' ? c.variables : c.variables === undefined ? '' : JSON.stringify(c.variables) } };
  }
  note(`${where}: body type "${type}" is not a v3 body type; the request is sent without a body.`);
  return undefined;
}

const SETTINGS_KNOWN = new Set(['protocolVersion', 'strictSSL', 'followRedirects', 'maxRedirects', 'disabledSystemHeaders']);

/**
 * v3 `settings` as 2.1 `protocolProfileBehavior`. `disabledSystemHeaders` is a list in v3 and a
 * `{name: true}` map in 2.1; other settings keep their names (they are the 2.1 names).
 */
export function protocolProfileBehavior(v: unknown, where: string, note: Note): Obj | undefined {
  if (!isObj(v)) return undefined;
  const out: Obj = {};
  for (const [k, value] of Object.entries(v)) {
    if (k === 'protocolVersion') {
      // postman-runtime 7 (Newman 6) speaks HTTP/1.1 only.
      if (value === 'http2') note(`${where}: protocolVersion http2 cannot be used by Newman (HTTP/1.1 only); the request goes over HTTP/1.1.`);
      continue;
    }
    if (k === 'disabledSystemHeaders') {
      const names = Array.isArray(value) ? value.map(str) : isObj(value) ? Object.keys(value).filter((n) => value[n] === true) : [];
      if (names.length) out.disabledSystemHeaders = Object.fromEntries(names.map((n) => [n.toLowerCase(), true]));
      continue;
    }
    if (!SETTINGS_KNOWN.has(k)) note(`${where}: setting "${k}" is passed to Newman as protocolProfileBehavior.${k} (not a documented v3 setting).`);
    out[k] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * A v3 url string with `queryParams` (every entry, disabled ones too: only they carry those) and
 * `pathVariables` as a 2.1 url, split by Newman's own URL parser so the result is what Newman
 * would make of the string.
 */
export function url(raw: string, query: unknown, pathVariables: unknown): Obj | string {
  if (query === undefined && pathVariables === undefined) return raw;
  const out = Url.parse(raw) as unknown as Obj;
  if (query !== undefined) {
    // queryParams is the full list (Postman writes the enabled ones in the url too); a parameter
    // only the url has (a hand-edited file) is kept after them rather than dropped.
    const listed = keyValues(query);
    const onlyInUrl = (Array.isArray(out.query) ? (out.query as KeyValue[]) : []).filter((q) => !listed.some((l) => l.key === q.key));
    out.query = [...listed, ...onlyInUrl];
  }
  const given = new Map(keyValues(pathVariables).map((v) => [v.key, v]));
  const parsed = Array.isArray(out.variable) ? (out.variable as KeyValue[]) : [];
  // Every `:name` in the path, with the value the file gives it; declared ones the path lacks are kept too.
  const vars = [...parsed.map((v) => given.get(v.key) ?? v), ...[...given.values()].filter((v) => !parsed.some((p) => p.key === v.key))];
  if (vars.length) out.variable = vars;
  else delete out.variable;
  return out;
}

/** A saved example (`$kind: http-example`) as an entry of the 2.1 `response` list. */
export function example(data: Obj, name: string, resolveFile: FileResolver, where: string, note: Note): Obj {
  const req = isObj(data.request) ? data.request : {};
  const res = isObj(data.response) ? data.response : {};
  const resBody = isObj(res.body) ? res.body : undefined;
  const out: Obj = { name };
  const originalRequest: Obj = { method: str(req.method || 'GET'), header: keyValues(req.headers), url: url(str(req.url), req.queryParams, req.pathVariables) };
  const reqBody = body(req.body, where, resolveFile, note);
  if (reqBody) originalRequest.body = reqBody;
  out.originalRequest = originalRequest;
  if (res.statusText !== undefined) out.status = str(res.statusText);
  if (res.statusCode !== undefined) out.code = Number(res.statusCode);
  if (resBody && RAW_LANGUAGES.has(str(resBody.type))) out._postman_previewlanguage = str(resBody.type);
  out.header = keyValues(res.headers);
  out.cookie = [];
  out.body = resBody ? str(resBody.content) : typeof res.body === 'string' ? res.body : '';
  return out;
}
