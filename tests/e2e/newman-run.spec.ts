// End-to-end tests of runCollection: real newman, the demo API, real emulator tokens. The sample
// collections pass or fail as they should, auth blocks get the token, and no report, export or
// console line ever shows a token or secret.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test as base, expect } from '../fixtures/emulator.js';
import { PUBLIC } from '../fixtures/emulator-http.js';
import { userTokens } from '../fixtures/newman-tokens.js';
import { startDemoApi, type DemoApi } from '../../packages/emulator/demo-api/server.js';
import { clearSecrets, createLogger, registerSecret, REDACTED } from '../../src/log.js';
import { toNewmanRunOptions, type ParsedNewmanArgs } from '../../src/newman/options.js';
import { runCollection, type RunInput } from '../../src/newman/run.js';
import type { UserTokens } from '../../src/newman/variables.js';
import { filesUnder } from '../fixtures/files.js';

const DEMO = 'collections/demo.postman_collection.json';
const GUIDE = 'collections/guide-style.postman_collection.json';
const FAILING = 'collections/failing.postman_collection.json';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

interface Fixtures {
  api: DemoApi;
  dir: string;
  users: UserTokens[];
  run: (collection: string, args?: ParsedNewmanArgs, extra?: Partial<RunInput>) => ReturnType<typeof runCollection>;
  out: { stdout: Capture; stderr: Capture; log: Capture };
}

const test = base.extend<Fixtures>({
  api: async ({ emulator }, use) => {
    const api = await startDemoApi({ port: 0, issuer: emulator.issuer, clientIds: [PUBLIC] });
    await use(api);
    await api.stop();
  },
  dir: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'cn-newman-'));
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },
  users: async ({ emulator }, use) => {
    const [admin, reader] = await Promise.all([userTokens(emulator.baseUrl, 'admin'), userTokens(emulator.baseUrl, 'reader')]);
    await use([
      { name: 'admin', tokens: admin },
      { name: 'reader', tokens: reader },
    ]);
    clearSecrets();
  },
  out: async ({}, use) => {
    await use({ stdout: new Capture(), stderr: new Capture(), log: new Capture() });
  },
  run: async ({ api, dir, users, out }, use) => {
    await use((collection, args = {}, extra = {}) =>
      runCollection({
        collection,
        plan: toNewmanRunOptions({ ...args, envVar: [{ key: 'baseUrl', value: api.baseUrl }, ...(args.envVar ?? [])] }),
        users,
        authBlockToken: 'access',
        reportsDir: join(dir, 'reports'),
        logger: createLogger('info', out.log),
        githubActions: false,
        stdout: out.stdout,
        stderr: out.stderr,
        ...extra,
      }),
    );
  },
});

test('the demo collection passes for both users', async ({ run, out }) => {
  const { exitCode, summary } = await run(DEMO);
  expect(summary.failures).toEqual([]);
  expect(exitCode).toBe(0);
  expect(summary.requests).toEqual({ total: 6, failed: 0 });
  expect(summary.assertions).toEqual({ total: 11, failed: 0 });
  expect(summary.users.map((u) => u.name)).toEqual(['admin', 'reader']);
  expect(summary.users[1]!.variables).toContain('reader_accessToken');
  expect(out.stdout.text).toContain('reader is forbidden (403)');
  expect(out.log.text).toContain('"cognito-newman demo" passed');
  // A named user is called as everywhere else (secrets/env.ts userLabel): user "reader" (its username when known).
  expect(out.log.text).toMatch(/user "reader": .*reader_accessToken.*; access token expires \S+Z \(in \d+ min\)/);
});

test('the demo collection passes over two iterations (redaction does not touch what scripts read)', async ({ run }) => {
  const { exitCode, summary } = await run(DEMO, { iterationCount: 2, reporters: ['junit'] });
  expect(exitCode).toBe(0);
  expect(summary.iterations).toBe(2);
  expect(summary.assertions).toEqual({ total: 22, failed: 0 });
});

test('--folder runs only the named folders', async ({ run }) => {
  const { exitCode, summary } = await run(DEMO, { folder: ['Reader', 'Without a valid token'] });
  expect(exitCode).toBe(0);
  expect(summary.requests.total).toBe(4);
});

test('the failing collection gives exit code 1 and names the failed assertions', async ({ run, out }) => {
  const { exitCode, summary } = await run(FAILING);
  expect(exitCode).toBe(1);
  expect(summary.passed).toBe(false);
  expect(summary.failures.map((f) => f.test)).toEqual([
    'deliberately failing: the user is in a group nobody has',
    'deliberately failing: the token is compared with a wrong value',
  ]);
  expect(summary.failures[1]!.message).toContain(REDACTED);
  expect(out.log.text).toContain('FAILED');
});

test('--suppress-exit-code turns the failing run into exit code 0, as in newman', async ({ run }) => {
  const { exitCode, summary } = await run(FAILING, { suppressExitCode: true, reporters: ['json'] });
  expect(summary.passed).toBe(false);
  expect(exitCode).toBe(0);
});

test('the guide-style collection passes unchanged once its OAuth 2.0 block carries the token', async ({ run, emulator }) => {
  const envVar = [
    { key: 'cognitoDomain', value: emulator.baseUrl },
    { key: 'clientId', value: PUBLIC },
  ];
  const { exitCode, summary } = await run(GUIDE, { envVar, reporters: ['cli'] });
  expect(summary.failures).toEqual([]);
  expect(exitCode).toBe(0);
  expect(summary.authBlocks).toEqual({ count: 1, user: 'admin', token: 'access' });
  expect(summary.assertions).toEqual({ total: 3, failed: 0 });
});

test('without tokens the guide-style collection fails with 401s (the block alone sends nothing)', async ({ run }) => {
  const { exitCode, summary } = await run(GUIDE, {}, { users: [] });
  expect(exitCode).toBe(1);
  expect(summary.failures.some((f) => f.message.includes('401'))).toBe(true);
});

test('with --auth-token id the blocks carry the ID token', async ({ run, dir }) => {
  const report = join(dir, 'guide.json');
  const { exitCode } = await run(GUIDE, { reporters: ['json'], reporterArgs: [{ rest: 'json-export', value: report }] }, { authBlockToken: 'id' });
  expect(exitCode).toBe(0);
  const json = JSON.parse(await readFile(report, 'utf8')) as { run: { executions: Array<{ response: { stream: { data: number[] } } }> } };
  const body = JSON.parse(Buffer.from(json.run.executions[0]!.response.stream.data).toString('utf8')) as { token_use: string };
  expect(body.token_use).toBe('id');
});


function secretsOf(users: UserTokens[]): string[] {
  return users.flatMap((u) => [u.tokens.accessToken, u.tokens.idToken!, u.tokens.refreshToken!]);
}

for (const [name, collection] of [
  ['demo (headers, forged token)', DEMO],
  ['failing (token in failure messages and console.log)', FAILING],
] as const) {
  test(`no report, export or console line shows a token or secret: ${name}`, async ({ run, dir, users, out }) => {
    const clientSecret = 'demo-confidential-secret';
    registerSecret(clientSecret);
    const exportsDir = join(dir, 'exports');
    await run(collection, {
      reporters: ['cli', 'junit', 'json', 'htmlextra'],
      exportEnvironment: join(exportsDir, 'environment.json'),
      exportGlobals: join(exportsDir, 'globals.json'),
      envVar: [{ key: 'clientSecret', value: clientSecret }],
      globalVar: [{ key: 'copyOfToken', value: users[0]!.tokens.accessToken }],
      verbose: true,
      color: 'off',
    });
    const files = filesUnder(dir);
    expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual([
      'exports/environment.json', 'exports/globals.json', 'reports/junit.xml', 'reports/newman-report.json', 'reports/report.html',
    ]);
    const texts: Record<string, string> = { stdout: out.stdout.text, stderr: out.stderr.text, log: out.log.text };
    for (const f of files) texts[f] = await readFile(f, 'utf8');
    expect(out.stdout.text.length).toBeGreaterThan(500);
    for (const [where, text] of Object.entries(texts)) {
      for (const secret of [...secretsOf(users), clientSecret]) expect(text.includes(secret), `${secret.slice(0, 12)}... in ${where}`).toBe(false);
      expect(text, where).not.toContain('Bearer eyJ');
      // Not even a recognisable piece of a token.
      for (const u of users) expect(text.includes(u.tokens.accessToken.slice(40, 80)), `token piece in ${where}`).toBe(false);
    }
    // The redacted files are still what their readers expect.
    const env = JSON.parse(texts[join(exportsDir, 'environment.json')]!) as { values: Array<{ key: string; value: string }> };
    expect(env.values.find((v) => v.key === 'admin_accessToken')?.value).toBe(REDACTED);
    expect(env.values.find((v) => v.key === 'baseUrl')?.value).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(JSON.parse(texts[join(dir, 'reports', 'newman-report.json')]!)).toHaveProperty('run.stats');
    expect(texts[join(dir, 'reports', 'junit.xml')]).toContain('<testcase');
    expect(texts[join(dir, 'reports', 'report.html')]).toContain('<html');
  });
}

test('GitHub mode: masks print first, failures become ::error annotations, the job summary is appended', async ({ run, dir, users, out }) => {
  const summaryPath = join(dir, 'step-summary.md');
  const { exitCode } = await run(FAILING, { reporters: ['cli'] }, { githubActions: true, stepSummaryPath: summaryPath });
  expect(exitCode).toBe(1);
  const lines = out.stdout.text.split('\n');
  const masks = lines.findIndex((l) => !l.startsWith('::add-mask::'));
  expect(masks).toBeGreaterThan(0);
  const masked = lines.slice(0, masks).map((l) => l.slice('::add-mask::'.length));
  for (const secret of secretsOf(users)) expect(masked).toContain(secret);
  // After the masks no token appears again; the annotations are redacted.
  const rest = lines.slice(masks).join('\n');
  for (const secret of secretsOf(users)) expect(rest.includes(secret)).toBe(false);
  const annotations = lines.filter((l) => l.startsWith('::error '));
  expect(annotations).toHaveLength(2);
  expect(annotations[1]).toContain('title=GET /me (deliberately failing)%3A deliberately failing%3A the token is compared with a wrong value::');
  expect(annotations[1]).toContain(REDACTED);
  const md = await readFile(summaryPath, 'utf8');
  expect(md).toContain('cognito-newman: cognito-newman failing example failed');
  expect(md).toContain('| assertions | 3 | 2 |');
  expect(md).toContain('`reader_accessToken`');
  expect(md).not.toContain('eyJ');
});

test('GitHub mode on by GITHUB_ACTIONS=true and GITHUB_STEP_SUMMARY from the environment', async ({ run, dir, out }) => {
  const summaryPath = join(dir, 'from-env.md');
  const saved = { a: process.env.GITHUB_ACTIONS, s: process.env.GITHUB_STEP_SUMMARY };
  process.env.GITHUB_ACTIONS = 'true';
  process.env.GITHUB_STEP_SUMMARY = summaryPath;
  try {
    // undefined: let runCollection read the environment (the fixture turns GitHub mode off by default).
    const { exitCode } = await run(DEMO, { reporters: ['junit'] }, { githubActions: undefined, stepSummaryPath: undefined });
    expect(exitCode).toBe(0);
  } finally {
    if (saved.a === undefined) delete process.env.GITHUB_ACTIONS;
    else process.env.GITHUB_ACTIONS = saved.a;
    if (saved.s === undefined) delete process.env.GITHUB_STEP_SUMMARY;
    else process.env.GITHUB_STEP_SUMMARY = saved.s;
  }
  expect(out.stdout.text.startsWith('::add-mask::')).toBe(true);
  expect((await stat(summaryPath)).size).toBeGreaterThan(0);
  expect(await readFile(summaryPath, 'utf8')).toContain('passed');
});
