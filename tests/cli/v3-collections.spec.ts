// Postman v3 (Git-native) collection folders through the built CLI: `convert` writes 2.1 JSON and
// names what 2.1 cannot say; `run` reads a folder (the guide-style v3 folder, as Postman's `migrate`
// wrote it, signs in with the IdP settings from its collection auth block); bad input is exit 2
// before any sign-in, naming the file and line.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test, expect } from '../fixtures/emulator.js';
import { runCli, describe, REPO_ROOT } from '../fixtures/cli.js';
import { startDemoApi } from '../../packages/emulator/demo-api/server.js';

const V3 = join(REPO_ROOT, 'tests', 'fixtures', 'v3');

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'cn-v3-cli-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

// A configuration that would sign in against a port nothing listens on: a run that got that far
// would exit 4 (IdP unreachable), so exit 2 proves the error came first.
const UNREACHABLE_IDP = { CI: 'true', COGNITO_DOMAIN: 'http://127.0.0.1:9', COGNITO_CLIENT_ID: 'c', TEST_USER_USERNAME: 'u', TEST_USER_PASSWORD: 'p-unused-password' };

test('convert: a v3 folder Postman wrote becomes Collection v2.1 JSON on stdout, nothing on stderr', async () => {
  const r = await runCli(['convert', join(V3, 'guide-style')]);
  expect(r.code, describe(r)).toBe(0);
  const json = JSON.parse(r.stdout) as { info: { name: string; schema: string }; auth: { type: string }; item: unknown[] };
  expect(json.info.name).toBe('Guide-style Cognito collection');
  expect(json.info.schema).toContain('v2.1.0');
  expect(json.auth.type).toBe('oauth2');
  expect(r.stderr).toBe('');
});

test('convert -o writes the file; what 2.1 or Newman cannot express is named on stderr, one line each', async () => {
  const root = tree({
    '.resources/definition.yaml': '$kind: collection\nname: Lossy\nauth:\n  - type: bearer\n    credentials: {token: a}\n  - type: basic\n    credentials: {username: b}\n',
    'a.request.yaml': '$kind: http-request\nurl: http://127.0.0.1/a\nsettings:\n  protocolVersion: http2\n',
    'm.request.yaml': '$kind: mqtt-request\nurl: mqtt://127.0.0.1\n',
  });
  const out = join(root, 'out', 'lossy.postman_collection.json');
  const r = await runCli(['convert', root, '-o', out]);
  expect(r.code, describe(r)).toBe(0);
  expect(JSON.parse(readFileSync(out, 'utf8')).info.name).toBe('Lossy');
  expect(r.stdout).toBe('');
  const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: '));
  expect(warnings).toEqual([
    'warning: Skipped 1 request Newman cannot send: m.request.yaml (mqtt-request).',
    expect.stringContaining('a.request.yaml: protocolVersion http2 cannot be used by Newman'),
    expect.stringContaining('.resources/definition.yaml: 2 auth entries (multi-auth)'),
  ]);
});

test('convert: a path that is not a folder is exit 2 with one paragraph', async () => {
  const r = await runCli(['convert', join(REPO_ROOT, 'collections', 'demo.postman_collection.json')]);
  expect(r.code, describe(r)).toBe(2);
  expect(r.stderr).toMatch(/^error \[COLLECTION_NOT_FOUND\]: .* is not a folder\. convert takes/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

const BAD_INPUT: Array<{ name: string; files: Record<string, string>; says: RegExp }> = [
  { name: 'YAML that does not parse (file and line)', files: { 'ok.request.yaml': '$kind: http-request\nurl: http://x\n', 'F/bad.request.yaml': '$kind: http-request\nbody:\n  type: json\n   content: x\n' }, says: /F\/bad\.request\.yaml:4: the YAML does not parse/ },
  { name: 'a request file without $kind', files: { 'r.request.yaml': 'url: http://x\n' }, says: /r\.request\.yaml:1: has no `\$kind`/ },
  { name: 'a definition with an unknown $kind', files: { '.resources/definition.yaml': 'name: x\n$kind: workspace\n', 'r.request.yaml': '$kind: http-request\nurl: http://x\n' }, says: /\.resources\/definition\.yaml:2: has an unknown `\$kind: workspace`/ },
  { name: 'the pre-release layout', files: { 'collection.yaml': 'type: collection\nitems:\n  - ref: ./a.yaml\n' }, says: /collection\.yaml:1: is the pre-release YAML layout/ },
  { name: 'a folder with no collection', files: { 'README.md': '# no collection here' }, says: /holds no Postman collection/ },
  { name: 'a folder with nothing Newman can run', files: { 's.request.yaml': '$kind: socket.io-request\nurl: http://x\n' }, says: /has no HTTP or GraphQL request Newman can run \(only s\.request\.yaml \(socket\.io-request\)\)/ },
];

for (const c of BAD_INPUT) {
  test(`run: ${c.name} is exit 2 before any sign-in`, async () => {
    const r = await runCli(['run', tree(c.files)], { env: UNREACHABLE_IDP });
    expect(r.code, describe(r)).toBe(2);
    expect(r.stderr).toMatch(c.says);
    expect(r.stderr).toContain('Nothing was started');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
}

test('run: the guide-style v3 folder Postman wrote passes, the IdP settings only in its collection auth block', async ({ emulator }) => {
  const api = await startDemoApi({ port: 0, issuer: emulator.issuer, clientIds: ['demo-public-client'] });
  try {
    const cwd = mkdtempSync(join(tmpdir(), 'cn-v3-guide-'));
    const env = join(cwd, 'guide.postman_environment.json');
    const values = { baseUrl: api.baseUrl, cognitoDomain: emulator.baseUrl, clientId: 'demo-public-client' };
    writeFileSync(env, JSON.stringify({ name: 'guide', values: Object.entries(values).map(([key, value]) => ({ key, value, enabled: true })) }));
    const r = await runCli(['run', join(V3, 'guide-style'), '-e', env], { cwd, env: { CI: 'true', TEST_USER_USERNAME: 'reader', TEST_USER_PASSWORD: 'Reader-Passw0rd!' } });
    expect(r.code, describe(r)).toBe(0);
    expect(r.stderr).toMatch(/assertions: \d+ \(0 failed\)/);
    expect(r.stderr).not.toContain('warning:');
  } finally {
    await api.stop();
  }
});
