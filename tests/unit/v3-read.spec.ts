// Unit tests of the v3 reader (src/newman/v3/): hand-written v3 trees in a temp folder become the
// v2.1 collection Newman runs; every bad input is a usage error naming the file and line; what
// Postman drops silently is a warning. (Postman's own output is checked in tests/e2e/v3-equivalence.)
import { test, expect } from '@playwright/test';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CnError, ExitCode } from '../../src/errors.js';
import { loadCollection } from '../../src/newman/load.js';
import { isV3CollectionPath, readV3Collection } from '../../src/newman/v3/index.js';
import type { CollectionItem } from '../../src/newman/auth-block.js';

let dir: string;
test.beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cn-v3-'));
});
test.afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Write files given as `{relative path: text}` under the test's folder. */
async function tree(files: Record<string, string>): Promise<string> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

async function usageError(p: Promise<unknown>): Promise<CnError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(CnError);
  expect((e as CnError).exitCode).toBe(ExitCode.Usage);
  return e as CnError;
}

const req = (extra = '') => `$kind: http-request\nurl: http://127.0.0.1/x\nmethod: GET\n${extra}`;
const names = (items: CollectionItem[] | undefined): string[] => (items ?? []).map((i) => i.name ?? '');

test('a folder is recognised as a v3 collection; a JSON file or a URL is not', async () => {
  await tree({ 'a.request.yaml': req() });
  expect(await isV3CollectionPath(dir)).toBe(true);
  expect(await isV3CollectionPath('collections/demo.postman_collection.json')).toBe(false);
  expect(await isV3CollectionPath('https://example.com/c')).toBe(false);
});

test('siblings are ordered by `order`, folders and requests interleaved, ties and unordered by name, never by file name', async () => {
  await tree({
    '.resources/definition.yaml': '$kind: collection\nname: Ordered\n',
    'a.request.yaml': req('order: 3000\n'),
    'b.request.yaml': req('order: 1000\nname: Zed\n'),
    'c.request.yaml': req('order: 3000\nname: Alpha\n'),
    'd.request.yaml': req(),
    'Folder/.resources/definition.yaml': '$kind: collection\norder: 2000\nname: The folder\n',
    'Folder/x.request.yaml': req(),
  });
  const { collection } = await readV3Collection(dir);
  expect(collection.info?.name).toBe('Ordered');
  expect(names(collection.item)).toEqual(['Zed', 'The folder', 'a', 'Alpha', 'd']);
});

test('headers, query params, path variables and urlencoded bodies in map form equal the array form', async () => {
  await tree({
    'map.request.yaml': req('headers:\n  X-A: "1"\n  X-N: 5\nqueryParams:\n  q: v\npathVariables:\n  id: 7\nbody:\n  type: urlencoded\n  content:\n    a: b\n').replace('http://127.0.0.1/x', 'http://127.0.0.1/x/:id?q=v'),
  });
  const { collection } = await readV3Collection(dir);
  const r = collection.item![0]!.request as Record<string, any>;
  expect(r.header).toEqual([{ key: 'X-A', value: '1' }, { key: 'X-N', value: '5' }]);
  expect(r.url.query).toEqual([{ key: 'q', value: 'v' }]);
  expect(r.url.variable).toEqual([{ key: 'id', value: '7' }]);
  expect(r.body).toEqual({ mode: 'urlencoded', urlencoded: [{ key: 'a', value: 'b', type: 'text' }] });
});

test('auth: a request map, a collection array (first entry, multi-auth named), inherit and none', async () => {
  await tree({
    '.resources/definition.yaml': '$kind: collection\nauth:\n  - type: apikey\n    credentials:\n      key: X-K\n      value: v\n  - type: basic\n    credentials: {username: u}\n',
    'a.request.yaml': req('auth:\n  type: bearer\n  credentials:\n    - key: token\n      value: t\n'),
    'b.request.yaml': req('auth:\n  type: inherit\n'),
    'c.request.yaml': req('auth:\n  type: noauth\n'),
    'd.request.yaml': req('auth:\n  type: azure\n  credentials: {}\n'),
  });
  const { collection, warnings } = await readV3Collection(dir);
  expect(collection.auth).toEqual({ type: 'apikey', apikey: [{ key: 'key', value: 'X-K', type: 'string' }, { key: 'value', value: 'v', type: 'string' }] });
  const [a, b, c, d] = collection.item!.map((i) => (i.request as { auth?: unknown }).auth);
  expect(a).toEqual({ type: 'bearer', bearer: [{ key: 'token', value: 't', type: 'string' }] });
  expect(b).toBeUndefined();
  expect(c).toEqual({ type: 'noauth' });
  expect(d).toEqual({ type: 'azure', azure: [] });
  expect(warnings.join('\n')).toContain('2 auth entries (multi-auth)');
  expect(warnings.join('\n')).toContain('d.request.yaml: azure auth cannot be applied by Newman');
});

test('settings become protocolProfileBehavior (disabledSystemHeaders as a map); http2 is named as not possible', async () => {
  await tree({ 's.request.yaml': req('settings:\n  followRedirects: false\n  maxRedirects: 2\n  strictSSL: false\n  protocolVersion: http2\n  disabledSystemHeaders: [user-agent, cache-control]\n') });
  const { collection, warnings } = await readV3Collection(dir);
  expect(collection.item![0]!.protocolProfileBehavior).toEqual({ followRedirects: false, maxRedirects: 2, strictSSL: false, disabledSystemHeaders: { 'user-agent': true, 'cache-control': true } });
  expect(warnings).toEqual([expect.stringContaining('protocolVersion http2')]);
});

test('scripts: request beforeRequest/afterResponse and folder http:beforeRequest/http:afterResponse become prerequest/test events', async () => {
  await tree({
    'F/.resources/definition.yaml': "$kind: collection\nscripts:\n  - type: http:beforeRequest\n    code: a()\n  - type: http:afterResponse\n    code: |-\n      b()\n      c()\n",
    'F/r.request.yaml': req("scripts:\n  - type: beforeRequest\n    code: x()\n    language: text/javascript\n"),
  });
  const { collection } = await readV3Collection(dir);
  const folder = collection.item![0]!;
  expect(folder.event).toEqual([
    { listen: 'prerequest', script: { type: 'text/javascript', exec: ['a()'] } },
    { listen: 'test', script: { type: 'text/javascript', exec: ['b()', 'c()'] } },
  ]);
  expect(folder.item![0]!.event).toEqual([{ listen: 'prerequest', script: { type: 'text/javascript', exec: ['x()'] } }]);
});

test('saved examples under .resources/<stem>.resources/examples become the 2.1 response list, in order', async () => {
  await tree({
    'get.request.yaml': req(),
    '.resources/get.resources/examples/second.example.yaml': '$kind: http-example\norder: 2000\nrequest: {url: http://127.0.0.1/x, method: GET}\nresponse: {statusCode: 404, statusText: Not Found}\n',
    '.resources/get.resources/examples/first.example.yaml': '$kind: http-example\norder: 1000\nrequest: {url: http://127.0.0.1/x, method: GET}\nresponse:\n  statusCode: 200\n  statusText: OK\n  headers: {Content-Type: application/json}\n  body: {type: json, content: "{}"}\n',
  });
  const { collection } = await readV3Collection(dir);
  const responses = collection.item![0]!.response as Array<Record<string, unknown>>;
  expect(responses.map((r) => [r.name, r.code, r.status])).toEqual([['first', 200, 'OK'], ['second', 404, 'Not Found']]);
  expect(responses[0]!.body).toBe('{}');
  expect(responses[0]!.header).toEqual([{ key: 'Content-Type', value: 'application/json' }]);
});

test('a formdata file part is read relative to the request file; convert writes it relative to the given directory', async () => {
  await tree({ 'F/up.request.yaml': req('body:\n  type: formdata\n  content:\n    - {key: f, type: file, src: data/a.txt}\n'), 'F/data/a.txt': 'x' });
  const run = await readV3Collection(dir);
  expect(((run.collection.item![0]!.item![0]!.request as any).body.formdata[0].src as string)).toBe(join(dir, 'F', 'data', 'a.txt'));
  const converted = await readV3Collection(dir, { relativeTo: dir });
  expect(((converted.collection.item![0]!.item![0]!.request as any).body.formdata[0].src as string)).toBe('F/data/a.txt');
});

test('folder variables are kept on the 2.1 folder and given to Newman by a folder pre-request script (reset at each request); behaviour in tests/e2e/v3-equivalence', async () => {
  await tree({
    '.resources/definition.yaml': '$kind: collection\nvariables:\n  v: collection\n',
    'A/.resources/definition.yaml': '$kind: collection\norder: 1\nvariables:\n  - key: v\n    value: folder\n',
    'A/r.request.yaml': req(),
    'B/r.request.yaml': req(),
  });
  const { collection } = await readV3Collection(dir);
  expect(collection.variable).toEqual([{ key: 'v', value: 'collection' }]);
  const a = collection.item![0]!;
  expect(a.variable).toEqual([{ key: 'v', value: 'folder' }]);
  expect(JSON.stringify(a.event)).toContain('pm.variables.set(k, v)');
  expect(JSON.stringify(collection.event)).toContain('pm.variables.unset(k)');
});

test('a parent holding exactly one collection (postman/collections/<name>) is read as that collection; several are a usage error', async () => {
  await tree({ 'postman/collections/My API/a.request.yaml': req(), 'postman/environments/dev.environment.yaml': 'name: dev\nvalues: []\n' });
  expect((await readV3Collection(join(dir, 'postman'))).collection.info?.name).toBe('My API');
  await tree({ 'postman/collections/Other/b.request.yaml': req() });
  const e = await usageError(readV3Collection(join(dir, 'postman', 'collections')));
  expect(e.message).toContain('holds 2 v3 collections (My API, Other)');
});

test('files that are not part of the collection (an environment, a README, other YAML) are left alone', async () => {
  await tree({ 'a.request.yaml': req(), 'dev.environment.yaml': 'not: [valid', 'README.md': '# hi', 'notes.yaml': '{{{' });
  const { collection, warnings } = await readV3Collection(dir);
  expect(names(collection.item)).toEqual(['a']);
  expect(warnings).toEqual([]);
});

test('YAML that does not parse is a usage error naming the file and the line', async () => {
  await tree({ 'ok.request.yaml': req(), 'F/bad.request.yaml': '$kind: http-request\nurl: http://x\nheaders:\n  - key: a\n   value: b\n' });
  const e = await usageError(readV3Collection(dir));
  expect(e.message).toMatch(/F\/bad\.request\.yaml:5: the YAML does not parse/);
});

test('a request, definition or example with no or an unknown $kind, or a request with no url, is a usage error naming file and line; all problems are listed at once', async () => {
  await tree({
    'nokind.request.yaml': 'url: http://x\n',
    'odd.request.yaml': 'url: http://x\n$kind: rest-request\n',
    '.resources/definition.yaml': '$kind: folder\n',
    'ok.request.yaml': req(),
    '.resources/ok.resources/examples/e.example.yaml': 'response: {}\n',
    'nourl.request.yaml': '$kind: http-request\nmethod: GET\n',
  });
  const e = await usageError(readV3Collection(dir));
  expect(e.code).toBe('COLLECTION_INVALID');
  expect(e.message).toContain('5 problems');
  expect(e.message).toContain('nourl.request.yaml:1: has no `url`');
  expect(e.message).toContain('nokind.request.yaml:1: has no `$kind`');
  expect(e.message).toContain('odd.request.yaml:2: has an unknown `$kind: rest-request`');
  expect(e.message).toContain('.resources/definition.yaml:1: has an unknown `$kind: folder`');
  expect(e.message).toContain('e.example.yaml:1: has no `$kind`');
});

test('the pre-release layout (collection.yaml, type:, items: - ref:) is a usage error that says so', async () => {
  await tree({ 'collection.yaml': 'type: collection\nname: Old\nitems:\n  - ref: ./get.yaml\n', 'get.yaml': 'type: http\nurl: http://x\n' });
  const e = await usageError(readV3Collection(dir));
  expect(e.message).toContain('collection.yaml:1: is the pre-release YAML layout');
});

test('a folder that holds no collection, and a YAML file given instead of the folder, are usage errors', async () => {
  await tree({ 'README.md': '# nothing' });
  expect((await usageError(readV3Collection(dir))).message).toContain('holds no Postman collection');
  await tree({ 'a.request.yaml': req() });
  expect((await usageError(loadCollection(join(dir, 'a.request.yaml')))).message).toContain('is read as a whole folder');
});

test('request kinds Newman cannot send are skipped with one warning naming each file; nothing runnable is a usage error', async () => {
  await tree({ 'g.request.yaml': '$kind: grpc-request\nurl: x\n', 'w.request.yaml': '$kind: websocket-request\nurl: ws://x\n', 'h.request.yaml': req() });
  const { collection, warnings } = await readV3Collection(dir);
  expect(names(collection.item)).toEqual(['h']);
  expect(warnings).toEqual(['Skipped 2 requests Newman cannot send: g.request.yaml (grpc-request), w.request.yaml (websocket-request).']);
  await rm(join(dir, 'h.request.yaml'));
  const e = await usageError(readV3Collection(dir));
  expect(e.code).toBe('COLLECTION_EMPTY');
});

test('what Postman drops silently is a warning with file and line: a 2.1 `event:` key, an unknown key', async () => {
  await tree({ 'r.request.yaml': req("event:\n  - listen: test\n    script: {exec: ['x']}\ncolour: blue\n") });
  const { collection, warnings } = await readV3Collection(dir);
  expect(collection.item![0]!.event).toBeUndefined();
  expect(warnings).toEqual([expect.stringMatching(/^r\.request\.yaml:4: `event:` is the 2\.1 name/), expect.stringMatching(/^r\.request\.yaml:7: unknown key `colour` on a request/)]);
});

test('loadCollection reads a folder as v3 and passes the warnings on', async () => {
  await tree({ 'r.request.yaml': req('colour: blue\n') });
  const seen: string[] = [];
  const c = await loadCollection(dir, { warn: (l) => seen.push(l) });
  expect(names(c.item)).toEqual(['r']);
  expect(seen).toHaveLength(1);
});

test('a graphql-request is a POST with the 2.1 graphql body; its folders\' graphql: scripts run before its own', async () => {
  await tree({
    'G/.resources/definition.yaml': "$kind: collection\nscripts:\n  - type: graphql:beforeQuery\n    code: outer()\n  - type: http:beforeRequest\n    code: http()\n",
    'G/q.request.yaml': "$kind: graphql-request\nurl: http://127.0.0.1/graphql\nquery: '{ me { id } }'\nvariables: '{\"a\": 1}'\nheaders:\n  - {key: X-A, value: b}\nscripts:\n  - type: beforeQuery\n    code: own()\n  - type: afterResponse\n    code: check()\n",
  });
  const { collection, warnings } = await readV3Collection(dir);
  const folder = collection.item![0]!;
  const q = folder.item![0]!;
  expect(q.request).toEqual({ method: 'POST', header: [{ key: 'X-A', value: 'b' }], url: 'http://127.0.0.1/graphql', body: { mode: 'graphql', graphql: { query: '{ me { id } }', variables: '{"a": 1}' } } });
  expect(q.event).toEqual([
    { listen: 'prerequest', script: { type: 'text/javascript', exec: ['outer()'] } },
    { listen: 'prerequest', script: { type: 'text/javascript', exec: ['own()'] } },
    { listen: 'test', script: { type: 'text/javascript', exec: ['check()'] } },
  ]);
  expect(folder.event).toEqual([{ listen: 'prerequest', script: { type: 'text/javascript', exec: ['http()'] } }]);
  expect(warnings).toEqual(['Collection or folder scripts of type http: also run for the GraphQL requests below them (2.1 has no per-protocol scripts).']);
});

test('a query parameter only the url has is kept after the queryParams list; disabled ones stay disabled', async () => {
  await tree({ 'q.request.yaml': req('queryParams:\n  - {key: a, value: "1"}\n  - {key: off, value: x, disabled: true}\n').replace('http://127.0.0.1/x', 'http://127.0.0.1/x?a=1&extra=2') });
  const { collection } = await readV3Collection(dir);
  expect((collection.item![0]!.request as any).url.query).toEqual([{ key: 'a', value: '1' }, { key: 'off', value: 'x', disabled: true }, { key: 'extra', value: '2' }]);
});
