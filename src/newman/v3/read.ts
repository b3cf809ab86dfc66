// Reading a v3 collection folder (Postman v12's Git-native format) into the v2.1 collection object
// a JSON export would give: folders and requests ordered by `order`, every HTTP field mapped
// (map.ts), bad input gathered into one usage error that names each file and line.
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { usageError } from '../../errors.js';
import type { CollectionItem, CollectionJson } from '../auth-block.js';
import { authBlock, body, containerAuth, example, isObj, keyValues, protocolProfileBehavior, scriptEvents, url, variables, type FileResolver, type Note } from './map.js';
import { readYamlFile, V3Problem, type YamlFile } from './yaml-file.js';

export interface V3ReadOptions {
  /**
   * How file references (formdata file parts, file bodies) are written: absolute (default, for a
   * run), or relative to this directory (for `convert`: Newman resolves them against its working
   * directory, the current one by default).
   */
  relativeTo?: string;
}

export interface V3ReadResult {
  /** The collection as a Postman v2.1 JSON object (what `loadCollection` returns for a JSON file). */
  collection: CollectionJson;
  /** One line each: what Postman would drop silently, skipped request kinds, what 2.1 cannot express. */
  warnings: string[];
}

const SCHEMA_21 = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
const REQUEST_FILE = /\.request\.ya?ml$/i;
const EXAMPLE_FILE = /\.example\.ya?ml$/i;
const DEFINITION_FILE = /^definition\.ya?ml$/i;
/**
 * Request kinds Postman writes that Newman cannot send: skipped with a warning. A graphql-request
 * is sent: it is an HTTP POST of `{query, variables}`, which is 2.1's graphql body mode.
 */
const UNRUNNABLE_KINDS = new Set(['grpc-request', 'websocket-request', 'socket.io-request', 'mqtt-request', 'mcp-request', 'llm-request']);
const REQUEST_KEYS = new Set(['$kind', 'name', 'description', 'order', 'url', 'method', 'headers', 'queryParams', 'pathVariables', 'body', 'auth', 'settings', 'scripts', 'examples', 'id']);
const GRAPHQL_KEYS = new Set(['$kind', 'name', 'description', 'order', 'url', 'headers', 'query', 'variables', 'auth', 'settings', 'scripts', 'examples', 'id']);
const DEFINITION_KEYS = new Set(['$kind', 'name', 'description', 'order', 'variables', 'auth', 'scripts', 'id']);
// Directories that are never part of a collection: Postman's own metadata and tool folders.
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.postman']);
/** More problems than this are summarised: the first ones are what a person fixes first. */
const MAX_LISTED = 8;
const NAME_ORDER = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** A directory of the tree: its definition (if any), request files and sub-directories. */
interface DirNode {
  path: string;
  definition?: string;
  requests: string[];
  dirs: DirNode[];
  /** Any request file at or below. */
  hasRequests: boolean;
  /** The pre-release layout's marker, when present here. */
  legacy?: string;
  /** Entries of `.resources/` (`<request stem>.resources` holds a request's examples). */
  resources: Set<string>;
}

async function scanDir(path: string): Promise<DirNode> {
  const node: DirNode = { path, requests: [], dirs: [], hasRequests: false, resources: new Set() };
  // Sorted: problems and warnings come out in the same order on every file system.
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = join(path, e.name);
    if (e.isDirectory()) {
      if (e.name === '.resources') {
        const defs = await readdir(full).catch(() => [] as string[]);
        node.resources = new Set(defs);
        const def = defs.find((n) => DEFINITION_FILE.test(n));
        if (def) node.definition = join(full, def);
        continue;
      }
      if (SKIPPED_DIRS.has(e.name) || e.name.startsWith('.')) continue;
      const child = await scanDir(full);
      if (child.hasRequests || child.definition || child.legacy) node.dirs.push(child);
      if (child.hasRequests) node.hasRequests = true;
    } else if (e.isFile()) {
      if (REQUEST_FILE.test(e.name)) node.requests.push(full);
      else if (/^collection\.ya?ml$/i.test(e.name)) node.legacy = full;
    }
  }
  if (node.requests.length) node.hasRequests = true;
  return node;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The collection's own directory: the one given, or, inside the layout Postman writes
 * (`<repo>/postman/collections/<name>/`), the one collection below `postman/` or `collections/`.
 * A `collections/` folder of several is a question only the user can answer. Any other folder is
 * the collection itself, its sub-folders being the collection's folders.
 */
function collectionRoot(node: DirNode, given: string): DirNode {
  let n = node;
  const bare = (d: DirNode) => !d.definition && d.requests.length === 0 && !d.legacy;
  const child = (d: DirNode, name: string) => d.dirs.find((c) => basename(c.path) === name);
  if (bare(n) && child(n, 'postman')) n = child(n, 'postman')!;
  if (bare(n) && child(n, 'collections')) n = child(n, 'collections')!;
  if (bare(n) && basename(n.path) === 'collections') {
    if (n.dirs.length === 1) return n.dirs[0]!;
    if (n.dirs.length > 1) {
      throw usageError('COLLECTION_AMBIGUOUS', `The folder ${given} holds ${n.dirs.length} v3 collections (${n.dirs.map((d) => basename(d.path)).join(', ')}).`, {
        hint: `Pass one of them, e.g. ${join(n.path, basename(n.dirs[0]!.path))}.`,
      });
    }
  }
  return n;
}

interface Built {
  item: CollectionItem;
  order: number | undefined;
  name: string;
}

class Reader {
  readonly problems: V3Problem[] = [];
  readonly warnings: string[] = [];
  readonly skipped: string[] = [];
  runnable = 0;
  graphqlRequests = 0;
  /** A collection or folder has http: scripts: in 2.1 they run for its GraphQL requests too. */
  httpContainerScripts = false;
  /** Every folder variable name: reset before each request (folderVariableReset), set again by its own folders. */
  readonly folderVariableNames = new Set<string>();

  constructor(
    readonly root: string,
    readonly options: V3ReadOptions,
  ) {}

  note: Note = (line) => void this.warnings.push(line);

  shown(path: string): string {
    return relative(this.root, path) || basename(path);
  }

  /** A parsed file, or the problem that stops it (not yet recorded: see `yaml`). */
  load(path: string): Promise<YamlFile | V3Problem> {
    return readYamlFile(path, this.root).catch((err: unknown) =>
      err instanceof V3Problem ? err : new V3Problem(this.shown(path), undefined, `cannot be read (${(err as { code?: string }).code ?? String(err)})`),
    );
  }

  /** The loaded file, its problem recorded. */
  take(loaded: YamlFile | V3Problem): YamlFile | undefined {
    if (loaded instanceof V3Problem) {
      this.problems.push(loaded);
      return undefined;
    }
    return loaded;
  }

  async yaml(path: string): Promise<YamlFile | undefined> {
    return this.take(await this.load(path));
  }

  /** `$kind` must be present and the expected one; the pre-release layout is named as such. */
  kindOf(file: YamlFile, expected: readonly string[]): string | undefined {
    const kind = file.data.$kind;
    if (kind === undefined) {
      const legacy = 'type' in file.data || 'items' in file.data;
      this.problems.push(
        new V3Problem(file.shown, 1, legacy ? 'has no `$kind`: this is the pre-release YAML layout (`type:`/`items:`), which Postman no longer reads; open it in Postman v12 and save it again, or export Collection v2.1' : `has no \`$kind\` (expected ${expected.map((k) => `\`$kind: ${k}\``).join(' or ')})`),
      );
      return undefined;
    }
    if (typeof kind !== 'string' || !expected.includes(kind)) {
      this.problems.push(new V3Problem(file.shown, file.lineOf('$kind'), `has an unknown \`$kind: ${String(kind)}\` (expected ${expected.join(' or ')})`));
      return undefined;
    }
    return kind;
  }

  /** What Postman drops without a word is a warning here. */
  unknownKeys(file: YamlFile, known: Set<string>, what: string): void {
    for (const key of Object.keys(file.data)) {
      if (known.has(key)) continue;
      const at = `${file.shown}:${file.lineOf(key) ?? 1}`;
      if (key === 'event') this.note(`${at}: \`event:\` is the 2.1 name; Postman ignores it in a v3 file and runs none of its scripts (use \`scripts:\` with beforeRequest/afterResponse). Ignored here too.`);
      else this.note(`${at}: unknown key \`${key}\` on a ${what}; Postman ignores it, and so does this run.`);
    }
  }

  fileResolver(requestFile: string): FileResolver {
    return (src) => {
      if (!src) return src;
      // Relative to the request file (what a hand-written v3 tree means); a path `postman
      // collection migrate` copied from 2.1 was relative to the working directory, so the
      // collection folder is tried next, then the path is left to Newman as written.
      const candidates = isAbsolute(src) ? [src] : [resolve(dirname(requestFile), src), resolve(this.root, src)];
      const found = candidates.find((c) => existsSync(c));
      if (!found) {
        this.note(`${this.shown(requestFile)}: file ${src} was not found next to the request or in the collection folder; Newman will look for it in its working directory.`);
        return src;
      }
      return this.options.relativeTo ? relative(this.options.relativeTo, found).split(sep).join('/') : found;
    };
  }

  /** `graphqlScripts`: the `graphql:` scripts of the collection and folders above, outermost first. */
  async request(path: string, loaded: YamlFile | V3Problem, graphqlScripts: Array<Record<string, unknown>>, resources: Set<string>): Promise<Built | undefined> {
    const file = this.take(loaded);
    if (!file) return undefined;
    const kind = this.kindOf(file, ['http-request', 'graphql-request', ...UNRUNNABLE_KINDS]);
    if (!kind) return undefined;
    if (kind !== 'http-request' && kind !== 'graphql-request') {
      this.skipped.push(`${file.shown} (${kind})`);
      return undefined;
    }
    const graphql = kind === 'graphql-request';
    this.unknownKeys(file, graphql ? GRAPHQL_KEYS : REQUEST_KEYS, graphql ? 'GraphQL request' : 'request');
    const d = file.data;
    if (typeof d.url !== 'string' || d.url.trim() === '') {
      this.problems.push(new V3Problem(file.shown, file.lineOf('url') ?? 1, `has no \`url\` (${graphql ? 'a GraphQL' : 'an HTTP'} request needs one)`));
      return undefined;
    }
    const where = file.shown;
    const name = typeof d.name === 'string' && d.name ? d.name : basename(path).replace(REQUEST_FILE, '');
    const resolveFile = this.fileResolver(path);
    const request: Record<string, unknown> = {
      method: graphql ? 'POST' : typeof d.method === 'string' && d.method ? d.method.toUpperCase() : 'GET',
      header: keyValues(d.headers),
      url: url(d.url, graphql ? undefined : d.queryParams, graphql ? undefined : d.pathVariables),
    };
    const b = graphql
      ? body({ type: 'graphql', content: { query: d.query, variables: d.variables } }, where, resolveFile, this.note)
      : body(d.body, where, resolveFile, this.note);
    if (b) request.body = b;
    const auth = isObj(d.auth) ? authBlock(d.auth, where, this.note) : Array.isArray(d.auth) ? containerAuth(d.auth, where, this.note) : undefined;
    if (auth) request.auth = auth;
    if (d.description !== undefined) request.description = String(d.description);
    const item: CollectionItem = { name, request };
    if (typeof d.id === 'string') item.id = d.id;
    // A GraphQL request's own scripts run after the graphql: scripts of its folders, as Postman runs them.
    const events = graphql ? [...graphqlScripts, ...scriptEvents(d.scripts, 'graphql-request', where, this.note)] : scriptEvents(d.scripts, 'request', where, this.note);
    if (events.length) item.event = events;
    if (graphql) this.graphqlRequests++;
    const ppb = protocolProfileBehavior(d.settings, where, this.note);
    if (ppb) item.protocolProfileBehavior = ppb;
    const responses = await this.examples(path, d.examples, resolveFile, resources);
    if (responses.length) item.response = responses;
    this.runnable++;
    return { item, order: typeof d.order === 'number' ? d.order : undefined, name };
  }

  /** Saved examples: the `examples` directory the request names, else `.resources/<stem>.resources/examples`. */
  async examples(requestPath: string, declared: unknown, resolveFile: FileResolver, resources: Set<string>): Promise<Record<string, unknown>[]> {
    const stem = basename(requestPath).replace(REQUEST_FILE, '');
    // Most requests have none: the scan already knows, so no failing readdir per request.
    if (typeof declared !== 'string' && !resources.has(`${stem}.resources`)) return [];
    const dir = typeof declared === 'string' ? resolve(dirname(requestPath), declared) : join(dirname(requestPath), '.resources', `${stem}.resources`, 'examples');
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => EXAMPLE_FILE.test(n));
    } catch {
      if (typeof declared === 'string') this.note(`${this.shown(requestPath)}: its examples folder ${declared} does not exist; no saved examples.`);
      return [];
    }
    const built: Array<{ order: number | undefined; name: string; value: Record<string, unknown> }> = [];
    for (const n of names) {
      const file = await this.yaml(join(dir, n));
      if (!file || !this.kindOf(file, ['http-example'])) continue;
      const name = typeof file.data.name === 'string' && file.data.name ? file.data.name : n.replace(EXAMPLE_FILE, '');
      built.push({ order: typeof file.data.order === 'number' ? file.data.order : undefined, name, value: example(file.data, name, resolveFile, file.shown, this.note) });
    }
    return sortByOrder(built).map((b) => b.value);
  }

  /** A folder (or, at the top, the collection): its definition and its children in `order`. */
  async container(node: DirNode, graphqlAbove: Array<Record<string, unknown>>): Promise<{ def: Record<string, unknown>; defFile?: YamlFile; items: CollectionItem[] }> {
    let def: Record<string, unknown> = {};
    let defFile: YamlFile | undefined;
    if (node.definition) {
      defFile = await this.yaml(node.definition);
      if (defFile && this.kindOf(defFile, ['collection'])) {
        this.unknownKeys(defFile, DEFINITION_KEYS, 'collection or folder definition');
        def = defFile.data;
      }
    }
    if (node.legacy) this.problems.push(new V3Problem(this.shown(node.legacy), 1, 'is the pre-release YAML layout (collection.yaml with `type:`/`items: - ref:`), which Postman no longer reads; open the collection in Postman v12 and save it again, or export Collection v2.1'));
    // 2.1 has no per-protocol scripts on a folder: graphql: ones go onto each GraphQL request below.
    const where = defFile?.shown ?? this.shown(node.path);
    const graphqlScripts = [...graphqlAbove, ...scriptEvents(def.scripts, 'graphql-container', where, this.note)];
    if (Array.isArray(def.scripts) && def.scripts.some((x) => isObj(x) && typeof x.type === 'string' && !x.type.startsWith('graphql:'))) this.httpContainerScripts = true;
    const children: Built[] = [];
    // Read and parsed together (the disk waits overlap); mapped in file order, so messages are stable.
    const loaded = await Promise.all(node.requests.map((r) => this.load(r)));
    for (let i = 0; i < node.requests.length; i++) {
      const b = await this.request(node.requests[i]!, loaded[i]!, graphqlScripts, node.resources);
      if (b) children.push(b);
    }
    for (const d of node.dirs) {
      const f = await this.folder(d, graphqlScripts);
      if (f) children.push(f);
    }
    return { def, ...(defFile ? { defFile } : {}), items: sortByOrder(children).map((c) => c.item) };
  }

  async folder(node: DirNode, graphqlAbove: Array<Record<string, unknown>>): Promise<Built | undefined> {
    const { def, defFile, items } = await this.container(node, graphqlAbove);
    const name = typeof def.name === 'string' && def.name ? def.name : basename(node.path);
    const where = defFile?.shown ?? this.shown(node.path);
    const item: CollectionItem = { name, item: items };
    if (typeof def.id === 'string') item.id = def.id;
    if (def.description !== undefined) item.description = String(def.description);
    const vars = variables(def.variables);
    const events = scriptEvents(def.scripts, 'container', where, this.note);
    if (vars.length) {
      item.variable = vars;
      // Newman ignores a folder's variable list (postman-runtime resolves with ignoreOwnVariables);
      // a folder-level pre-request script gives its requests the values, yielding to the
      // environment and data file as a collection variable would.
      events.unshift(folderVariableEvent(vars.filter((v) => !v.disabled)));
      for (const v of vars) this.folderVariableNames.add(v.key);
    }
    if (events.length) item.event = events;
    const auth = containerAuth(def.auth, where, this.note);
    if (auth) item.auth = auth as unknown as CollectionItem['auth'];
    return { item, order: typeof def.order === 'number' ? def.order : undefined, name };
  }
}

const FOLDER_VARIABLES_MARK = '// cognito-newman: folder variables (v3 definition.yaml)';

function folderVariableEvent(vars: ReadonlyArray<{ key: string; value: string }>): Record<string, unknown> {
  const values = JSON.stringify(Object.fromEntries(vars.map((v) => [v.key, v.value])));
  return {
    listen: 'prerequest',
    script: {
      type: 'text/javascript',
      exec: [FOLDER_VARIABLES_MARK, `Object.entries(${values}).forEach(([k, v]) => { if (!pm.environment.has(k) && !pm.iterationData.has(k)) pm.variables.set(k, v); });`],
    },
  };
}

/** Run first at every request: folder variables of one folder must not leak into the next one's requests. */
function folderVariableReset(names: Iterable<string>): Record<string, unknown> {
  return {
    listen: 'prerequest',
    script: { type: 'text/javascript', exec: [FOLDER_VARIABLES_MARK, `${JSON.stringify([...names])}.forEach((k) => pm.variables.unset(k));`] },
  };
}

/** By `order`, folders and requests interleaved; ties and unordered entries (last) by name. */
function sortByOrder<T extends { order: number | undefined; name: string }>(list: T[]): T[] {
  return [...list].sort((a, b) => {
    const ao = a.order ?? Number.POSITIVE_INFINITY;
    const bo = b.order ?? Number.POSITIVE_INFINITY;
    if (ao !== bo) return ao < bo ? -1 : 1;
    return NAME_ORDER.compare(a.name, b.name);
  });
}

function problemsError(dir: string, problems: V3Problem[]) {
  const n = problems.length;
  const listed = problems.slice(0, MAX_LISTED).map((p) => p.message);
  const more = n > MAX_LISTED ? `; and ${n - MAX_LISTED} more` : '';
  return usageError('COLLECTION_INVALID', `The v3 collection ${dir} has ${plural(n, 'problem')}: ${listed.join('; ')}${more}.`, {
    hint: 'Fix the files named (lines are 1-based), or export the collection from Postman as Collection v2.1.',
  });
}

/** Read the v3 collection folder `dir`. Bad input rejects with a usage error (exit 2) naming the file and line. */
export async function readV3Collection(dir: string, options: V3ReadOptions = {}): Promise<V3ReadResult> {
  const given = dir;
  let info;
  try {
    info = await stat(dir);
  } catch (cause) {
    throw usageError('COLLECTION_NOT_FOUND', `The collection folder ${given} could not be read (${(cause as { code?: string }).code ?? 'error'}).`, { hint: 'Check the path of the collection.', cause });
  }
  if (!info.isDirectory()) throw usageError('COLLECTION_INVALID', `${given} is not a folder.`, { hint: 'Pass the v3 collection\'s folder (postman/collections/<name>), or a Collection v2.1 JSON file.' });
  const top = await scanDir(resolve(dir));
  const rootNode = collectionRoot(top, given);
  if (!rootNode.definition && !rootNode.hasRequests && !rootNode.legacy && !rootNode.dirs.some((d) => d.legacy)) {
    throw usageError('COLLECTION_NOT_FOUND', `The folder ${given} holds no Postman collection (no *.request.yaml and no .resources/definition.yaml below it).`, {
      hint: 'Pass the collection\'s folder, postman/collections/<name> in a Git-native Postman workspace, or a Collection v2.1 JSON file.',
    });
  }
  const reader = new Reader(rootNode.path, options);
  const { def, defFile, items } = await reader.container(rootNode, []);
  // Files are named relative to the collection's own folder, which may lie below the one given.
  if (reader.problems.length) throw problemsError(rootNode.path === resolve(given) ? given : relative(process.cwd(), rootNode.path), reader.problems);
  if (reader.graphqlRequests && reader.httpContainerScripts) {
    reader.warnings.push('Collection or folder scripts of type http: also run for the GraphQL requests below them (2.1 has no per-protocol scripts).');
  }
  if (reader.skipped.length) reader.warnings.unshift(`Skipped ${plural(reader.skipped.length, 'request')} Newman cannot send: ${reader.skipped.join(', ')}.`);
  if (reader.runnable === 0) {
    throw usageError('COLLECTION_EMPTY', `The v3 collection ${given} has no HTTP or GraphQL request Newman can run${reader.skipped.length ? ` (only ${reader.skipped.join(', ')})` : ''}.`, {
      hint: 'Newman runs HTTP and GraphQL requests (`$kind: http-request`, `graphql-request`); run the others in Postman.',
    });
  }
  const where = defFile?.shown ?? '.resources/definition.yaml';
  const collection: CollectionJson = {
    info: {
      ...(typeof def.id === 'string' ? { _postman_id: def.id } : {}),
      name: typeof def.name === 'string' && def.name ? def.name : basename(rootNode.path),
      ...(def.description !== undefined ? { description: String(def.description) } : {}),
      schema: SCHEMA_21,
    },
    item: items,
  };
  const events = scriptEvents(def.scripts, 'container', where, reader.note);
  if (reader.folderVariableNames.size) events.unshift(folderVariableReset(reader.folderVariableNames));
  if (events.length) collection.event = events;
  const vars = variables(def.variables);
  if (vars.length) collection.variable = vars;
  const auth = containerAuth(def.auth, where, reader.note);
  if (auth) collection.auth = auth as unknown as CollectionJson['auth'];
  return { collection, warnings: reader.warnings };
}

/** The v2.1 equivalent of the v3 folder `dir` (what `cognito-newman convert` writes); file paths relative to `relativeTo` (default: the current directory). */
export async function convertV3ToV21(dir: string, options: V3ReadOptions = {}): Promise<V3ReadResult> {
  return readV3Collection(dir, { relativeTo: options.relativeTo ?? process.cwd() });
}
