// Proof against Postman's real output (issue 19, item 5): each fixture under tests/fixtures/v3/ was
// written by the official Postman CLI's `postman collection migrate` from a 2.1 collection of ours
// (scripts/make-v3-fixtures.mjs). The 2.1 JSON and the v3 folder run, through the same run path as
// `cognito-newman run`, against one recording HTTP server: the same requests (method, URL, headers,
// body, Authorization) must go out in the same order, with the same assertion results. The v3
// folder converted to 2.1 JSON (`convert`) and run again must give the same too.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test, expect } from '@playwright/test';
import { executeRun } from '../../src/session/run.js';
import { clearSecrets, createLogger } from '../../src/log.js';
import { toNewmanRunOptions } from '../../src/newman/options.js';
import { convertV3ToV21 } from '../../src/newman/v3/index.js';
import type { TokenSet } from '../../src/oauth/types.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const V3 = join(ROOT, 'tests', 'fixtures', 'v3');

interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Answers every request with a JSON echo (and a 302 on /redirect), recording what came in. */
async function startRecorder(): Promise<{ url: string; requests: Recorded[]; server: Server }> {
  const requests: Recorded[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers }, body });
      // NTLM starts only when the server asks for it; the negotiate message that follows is what is compared.
      if (req.url === '/auth/ntlm' && !req.headers.authorization) {
        res.writeHead(401, { 'www-authenticate': 'NTLM' }).end();
        return;
      }
      if (req.url === '/redirect') {
        res.writeHead(302, { location: '/order/zeta' }).end();
        return;
      }
      // Enough of the demo API's shape that the guide's tests pass (username, token_use).
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: req.url, method: req.method, username: 'recorded', token_use: 'access', groups: [] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

/**
 * What may differ between two runs of the same request: Postman's per-request id, the multipart
 * boundary, and AWS Signature v4's clock (postman-runtime signs with the current time whatever the
 * request says; the credential scope and signed headers are still compared).
 */
function normalise(r: Recorded): Recorded {
  const headers = { ...r.headers };
  delete headers['postman-token'];
  if (headers['x-amz-date']) {
    headers['x-amz-date'] = 'AMZ-DATE';
    headers.authorization = String(headers.authorization).replace(/Signature=[0-9a-f]+/, 'Signature=SIGNATURE');
  }
  let body = r.body;
  const boundary = /boundary=(\S+)/.exec(String(headers['content-type'] ?? ''))?.[1];
  if (boundary) {
    headers['content-type'] = String(headers['content-type']).replace(boundary, 'BOUNDARY');
    body = body.split(boundary).join('BOUNDARY');
  }
  return { ...r, headers, body };
}

// Tokens as the run injects them (variables and OAuth 2.0 blocks); the recorder checks nothing.
const TOKENS: TokenSet = { accessToken: 'access-token-for-equivalence', idToken: 'id-token-for-equivalence', tokenType: 'Bearer', expiresIn: 3600, accessTokenExpiresAt: Date.now() + 3_600_000 };
const USERS = ['admin', 'reader', 'partner'].map((name) => ({ name, tokens: TOKENS }));

interface Outcome {
  requests: Recorded[];
  assertions: Array<{ item: string; assertion: string; passed: boolean }>;
}

async function runOnce(
  collection: string | object,
  recorder: { url: string; requests: Recorded[] },
  dir: string,
  more: { folder?: string[]; shard?: string; envVar?: Array<{ key: string; value: string }>; warnings?: string[] } = {},
): Promise<Outcome> {
  recorder.requests.length = 0;
  const report = join(dir, `report-${Math.random().toString(36).slice(2)}.json`);
  const plan = toNewmanRunOptions({
    envVar: [
      { key: 'baseUrl', value: recorder.url },
      { key: 'cognitoDomain', value: 'http://127.0.0.1:9' },
      { key: 'clientId', value: 'equivalence-client' },
      ...(more.envVar ?? []),
    ],
    ...(more.folder ? { folder: more.folder } : {}),
    reporters: ['json'],
    // 2.1 file references are relative to Newman's working directory; the v3 reader makes them absolute.
    workingDir: V3,
  });
  plan.reporter.json = { export: report };
  const logger = { ...createLogger('silent'), warn: (line: string) => void more.warnings?.push(line) };
  await executeRun({ collection, plan, ...(more.shard ? { shard: more.shard } : {}), reportsDir: dir, authToken: 'access', flags: {}, logger, tokens: USERS });
  const json = JSON.parse(await readFile(report, 'utf8')) as { run: { executions: Array<{ item: { name: string }; assertions?: Array<{ assertion: string; error?: unknown }> }> } };
  return {
    requests: recorder.requests.map(normalise),
    assertions: json.run.executions.flatMap((e) => (e.assertions ?? []).map((a) => ({ item: e.item.name, assertion: a.assertion, passed: !a.error }))),
  };
}

let recorder: Awaited<ReturnType<typeof startRecorder>>;
let dir: string;
test.beforeAll(async () => {
  recorder = await startRecorder();
  dir = await mkdtemp(join(tmpdir(), 'cn-v3-eq-'));
});
test.afterAll(async () => {
  await new Promise((r) => recorder.server.close(r));
  await rm(dir, { recursive: true, force: true });
  clearSecrets();
});

/** Values only the every-feature v3 files carry reached the server: the comparison compares something. */
function expectEveryFeature(v3: Outcome): void {
  const byPath = (p: string) => v3.requests.find((r) => r.url.startsWith(p));
  expect(byPath('/things/42')?.url).toBe('/things/42?limit=5&sort=name');
  expect(byPath('/things/42')?.headers['x-disabled']).toBeUndefined();
  expect(byPath('/bodies/formdata')?.body).toContain('upload file part');
  expect(byPath('/bodies/file')?.body).toContain('a file body');
  expect(byPath('/bodies/urlencoded')?.body).toBe('a=1&b=two%20words');
  expect(byPath('/bodies/json')?.body).toContain('"name": "widget"');
  expect(byPath('/graphql')?.body).toContain('"variables":{"id": "1"}');
  expect(byPath('/auth/basic')?.headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  expect(byPath('/auth/inherit')?.headers.authorization).toBe('Bearer col-token-1');
  expect(byPath('/bodies/none')?.headers.authorization).toBe(`Basic ${Buffer.from('folder-user:folder-pass').toString('base64')}`);
  expect(byPath('/auth/oauth2')?.headers.authorization).toBe(`Bearer ${TOKENS.accessToken}`);
  expect(byPath('/auth/oauth1')?.headers.authorization).toContain('oauth_nonce="fixednonce"');
  expect(byPath('/auth/apikey-query')?.url).toContain('api_key=k-456');
  expect(byPath('/auth/jwt')?.headers.authorization).toMatch(/^Bearer eyJ/);
  expect(byPath('/auth/edgegrid')?.headers.authorization).toMatch(/^EG1-HMAC-SHA256 client_token=akab-client;access_token=akab-access;timestamp=20231114T22:13:20\+0000;nonce=edge-nonce;signature=/);
  expect(byPath('/auth/awsv4')?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=host;x-amz-date, Signature=SIGNATURE$/);
  expect(v3.requests.filter((r) => r.url === '/auth/ntlm').map((r) => String(r.headers.authorization ?? '').split(' ')[0])).toEqual(['', 'NTLM']);
  expect(byPath('/redirect')?.headers['user-agent']).toBeUndefined();
  // Order by `order`, folders and requests interleaved: the 2.1 order, not the file names'.
  expect(v3.requests.map((r) => r.url.split('?')[0]).slice(0, 3)).toEqual(['/things/42', '/bodies/json', '/bodies/text']);
}

const FIXTURES: Array<{ name: string; json: string }> = [
  { name: 'demo', json: join(ROOT, 'collections', 'demo.postman_collection.json') },
  { name: 'guide-style', json: join(ROOT, 'collections', 'guide-style.postman_collection.json') },
  { name: 'every-feature', json: join(V3, 'sources', 'every-feature.postman_collection.json') },
];

for (const f of FIXTURES) {
  test(`${f.name}: the v3 folder Postman wrote sends the same requests, in the same order, with the same assertion results as the 2.1 JSON`, async () => {
    const v21 = await runOnce(f.json, recorder, dir);
    const v3 = await runOnce(join(V3, f.name), recorder, dir);
    expect(v21.requests.length).toBeGreaterThan(0);
    expect(v3.requests).toEqual(v21.requests);
    expect(v3.assertions).toEqual(v21.assertions);
    expect(v21.assertions.some((a) => a.passed)).toBe(true);
    // Every body type, auth type and setting of the every-feature collection, checked by value.
    if (f.name === 'every-feature') expectEveryFeature(v3);

    // Round trip: v3 -> convert -> 2.1 JSON -> run equals the v3 run.
    const converted = join(dir, `${f.name}.converted.json`);
    await writeFile(converted, JSON.stringify((await convertV3ToV21(join(V3, f.name), { relativeTo: V3 })).collection));
    const round = await runOnce(converted, recorder, dir);
    expect(round.requests).toEqual(v3.requests);
    expect(round.assertions).toEqual(v3.assertions);
  });
}


/** A hand-written v3 tree (what Postman's editor allows beyond what `migrate` writes). */
async function handWritten(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(dir, 'tree-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

const get = (path: string, order: number) => `$kind: http-request\nurl: "{{baseUrl}}${path}"\nmethod: GET\norder: ${order}\n`;

test('folder variables reach only their folder\'s requests, over collection variables and under the environment', async () => {
  const root = await handWritten({
    '.resources/definition.yaml': '$kind: collection\nvariables:\n  v: collection\n  w: collectionW\n',
    'A/.resources/definition.yaml': '$kind: collection\norder: 1\nvariables:\n  v: folder\n  w: folderW\n',
    'A/r.request.yaml': get('/a/{{v}}/{{w}}', 1),
    'B/r.request.yaml': get('/b/{{v}}/{{w}}', 2),
  });
  const run = await runOnce(root, recorder, dir, { envVar: [{ key: 'w', value: 'env' }] });
  expect(run.requests.map((r) => r.url)).toEqual(['/a/folder/env', '/b/collection/env']);
});

test('a request kind Newman cannot send is skipped with a warning naming its file, and the rest of the run goes on', async () => {
  const root = await handWritten({ 'g.request.yaml': '$kind: grpc-request\nurl: 127.0.0.1:9\n', 'h.request.yaml': get('/h', 1) });
  const warnings: string[] = [];
  const run = await runOnce(root, recorder, dir, { warnings });
  expect(run.requests.map((r) => r.url)).toEqual(['/h']);
  expect(warnings).toEqual(['Skipped 1 request Newman cannot send: g.request.yaml (grpc-request).']);
});

test('--folder and --shard select from a v3 folder as from the 2.1 JSON', async () => {
  const folder = await runOnce(join(V3, 'every-feature'), recorder, dir, { folder: ['Auth'] });
  expect(folder.requests.map((r) => r.url.split('?')[0])).toEqual((await runOnce(join(V3, 'sources', 'every-feature.postman_collection.json'), recorder, dir, { folder: ['Auth'] })).requests.map((r) => r.url.split('?')[0]));
  expect(folder.requests.every((r) => r.url.startsWith('/auth/'))).toBe(true);
  const shard = await runOnce(join(V3, 'demo'), recorder, dir, { shard: '1/2' });
  expect(shard.requests).toEqual((await runOnce(join(ROOT, 'collections', 'demo.postman_collection.json'), recorder, dir, { shard: '1/2' })).requests);
});

test('the undefined-variable check stops a v3 run before any request, naming the folder and request', async () => {
  const root = await handWritten({ 'Things/list.request.yaml': get('/things?page={{pageSize}}', 1) });
  recorder.requests.length = 0;
  const err = await runOnce(root, recorder, dir).then(
    () => undefined,
    (e: unknown) => e as { exitCode?: number; message?: string },
  );
  expect(err?.exitCode).toBe(2);
  expect(err?.message).toContain('pageSize');
  expect(err?.message).toContain('Things / list');
  expect(recorder.requests).toEqual([]);
});

test('a graphql-request is sent as an HTTP POST of {query, variables} as JSON (the 2.1 graphql body)', async () => {
  const root = await handWritten({ 'q.request.yaml': "$kind: graphql-request\nurl: '{{baseUrl}}/graphql'\nquery: 'query { me { id } }'\nvariables: '{\"n\": 1}'\nscripts:\n  - type: afterResponse\n    code: pm.test('200', () => pm.response.to.have.status(200));\n" });
  const run = await runOnce(root, recorder, dir);
  expect(run.requests.map((r) => [r.method, r.url, r.headers['content-type']])).toEqual([['POST', '/graphql', 'application/json']]);
  expect(JSON.parse(run.requests[0]!.body)).toEqual({ query: 'query { me { id } }', variables: { n: 1 } });
  expect(run.assertions).toEqual([{ item: 'q', assertion: '200', passed: true }]);
});
