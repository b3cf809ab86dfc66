// Environment and globals values marked secret (2.1 JSON `"type": "secret"`, v12 YAML `type:
// secret` or `secret: true`) are secrets everywhere a run writes: console, JSON, JUnit, our HTML
// and htmlextra reports, --export-environment/--export-globals, the GitHub job summary; and they
// are announced as GitHub Actions masks first. Real newman against a real echo server on 127.0.0.1,
// which sends each secret back so it reaches response bodies too.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test, expect } from '@playwright/test';
import { clearSecrets, createLogger, REDACTED } from '../../src/log.js';
import { toNewmanRunOptions } from '../../src/newman/options.js';
import { runCollection } from '../../src/newman/run.js';
import { filesUnder } from '../fixtures/files.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

const ENV_SECRET = 'env-Secret+value/Q7!x9&z';
const GLOBAL_SECRET = 'global-Secret value#42';
const DISABLED_SECRET = 'disabled-secret-kept-9';
const PLAIN = 'plain-visible-value-123';

/** A request that carries every variable in its URL, a header and its body, and a test that prints and fails on them. */
const COLLECTION = {
  info: { name: 'secret variables', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
  item: [
    {
      name: 'echo the variables',
      request: {
        method: 'POST',
        header: [{ key: 'X-Api-Key', value: '{{apiKey}}' }, { key: 'X-Global', value: '{{globalSecret}}' }],
        url: '{{baseUrl}}/echo?key={{apiKey}}&plain={{plain}}',
        body: { mode: 'raw', raw: '{"key":"{{apiKey}}","global":"{{globalSecret}}"}', options: { raw: { language: 'json' } } },
      },
      event: [
        {
          listen: 'test',
          script: {
            exec: [
              "console.log('values', pm.environment.get('apiKey'), pm.globals.get('globalSecret'), pm.environment.get('plain'), pm.environment.get('disabledSecret'));",
              "pm.test('key is ' + pm.environment.get('apiKey'), () => pm.expect(pm.response.text()).to.include('nothing like it'));",
              "pm.test('global is ' + pm.globals.get('globalSecret'), () => pm.expect(pm.globals.get('globalSecret')).to.eql('other'));",
            ],
          },
        },
      ],
    },
  ],
};

const JSON_ENV = {
  name: 'secrets (2.1 JSON)',
  values: [
    { key: 'apiKey', value: ENV_SECRET, type: 'secret', enabled: true },
    { key: 'plain', value: PLAIN, type: 'default', enabled: true },
    { key: 'disabledSecret', value: DISABLED_SECRET, type: 'secret', enabled: false },
  ],
};
const JSON_GLOBALS = { name: 'globals', values: [{ key: 'globalSecret', value: GLOBAL_SECRET, type: 'secret', enabled: true }] };

const YAML_ENV = `name: secrets (v12 YAML)
values:
  - key: apiKey
    value: ${JSON.stringify(ENV_SECRET)}
    enabled: true
    type: secret
  - key: plain
    value: ${PLAIN}
    enabled: true
    type: default
  - key: disabledSecret
    value: ${DISABLED_SECRET}
    enabled: false
    type: default
    secret: true
`;
const YAML_GLOBALS = `name: globals
values:
  - key: globalSecret
    value: ${GLOBAL_SECRET}
    enabled: true
    secret: true
`;

let server: Server;
let baseUrl: string;
test.beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-echo-key', String(req.headers['x-api-key'] ?? ''));
      res.end(JSON.stringify({ url: req.url, headers: req.headers, body }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  await new Promise((r) => server.close(r));
});


/** Each secret as it can travel: raw, URL-encoded (query), form-encoded, JSON-escaped, HTML-escaped. */
function forms(secret: string): string[] {
  const html = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;').replace(/=/g, '&#x3D;');
  return [...new Set([secret, encodeURIComponent(secret), new URLSearchParams({ v: secret }).toString().slice(2), JSON.stringify(secret).slice(1, -1), html])];
}

for (const format of ['2.1 JSON', 'v12 YAML'] as const) {
  test(`values marked secret in a ${format} environment and globals appear in no output, report, export or summary, and are masked first`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cn-secret-vars-'));
    try {
      const yaml = format === 'v12 YAML';
      const envFile = join(dir, yaml ? 'Secrets.environment.yaml' : 'secrets.postman_environment.json');
      const globalsFile = join(dir, yaml ? 'Workspace.globals.yaml' : 'workspace.postman_globals.json');
      await writeFile(envFile, yaml ? YAML_ENV : JSON.stringify(JSON_ENV));
      await writeFile(globalsFile, yaml ? YAML_GLOBALS : JSON.stringify(JSON_GLOBALS));
      const out = { stdout: new Capture(), stderr: new Capture(), log: new Capture() };
      const summaryPath = join(dir, 'step-summary.md');
      const { exitCode, summary } = await runCollection({
        collection: COLLECTION,
        plan: toNewmanRunOptions({
          environment: envFile,
          globals: globalsFile,
          envVar: [{ key: 'baseUrl', value: baseUrl }],
          reporters: ['cli', 'json', 'junit', 'html', 'htmlextra'],
          exportEnvironment: join(dir, 'exports', 'environment.json'),
          exportGlobals: join(dir, 'exports', 'globals.json'),
          exportCollection: join(dir, 'exports', 'collection.json'),
          verbose: true,
          color: 'off',
        }),
        users: [],
        authBlockToken: 'access',
        reportsDir: join(dir, 'reports'),
        logger: createLogger('debug', out.log),
        githubActions: true,
        stepSummaryPath: summaryPath,
        stdout: out.stdout,
        stderr: out.stderr,
      });
      // The run really used the values: the requests went out and both tests failed, naming them.
      expect(summary.requests).toEqual({ total: 1, failed: 0 });
      expect(exitCode).toBe(1);
      expect(summary.failures.map((f) => f.test)).toEqual([`key is ${REDACTED}`, `global is ${REDACTED}`]);

      const lines = out.stdout.text.split('\n');
      const firstOther = lines.findIndex((l) => !l.startsWith('::add-mask::'));
      const masks = lines.slice(0, firstOther).map((l) => l.slice('::add-mask::'.length));
      for (const s of [ENV_SECRET, GLOBAL_SECRET, DISABLED_SECRET]) expect(masks, 'announced as a mask before any output').toContain(s);

      const texts: Record<string, string> = { stdout: lines.slice(firstOther).join('\n'), stderr: out.stderr.text, log: out.log.text };
      const files = filesUnder(dir);
      for (const f of files) if (f !== envFile && f !== globalsFile) texts[f.slice(dir.length + 1)] = await readFile(f, 'utf8');
      expect(Object.keys(texts).sort()).toEqual([
        'exports/collection.json', 'exports/environment.json', 'exports/globals.json',
        'log', 'reports/junit.xml', 'reports/newman-report.json', 'reports/report-htmlextra.html', 'reports/report.html',
        'stderr', 'stdout', 'step-summary.md',
      ]);
      for (const [where, text] of Object.entries(texts)) {
        for (const secret of [ENV_SECRET, GLOBAL_SECRET, DISABLED_SECRET]) {
          for (const form of forms(secret)) expect(text.includes(form), `${secret.slice(0, 10)}... (as ${form.slice(0, 14)}...) in ${where}`).toBe(false);
        }
      }
      // Only the secret-marked values are hidden: the plain one is still there for the reader.
      expect(texts['reports/newman-report.json']).toContain(PLAIN);
      expect(texts.stdout).toContain(PLAIN);
      const env = JSON.parse(texts['exports/environment.json']!) as { values: Array<{ key: string; value: string }> };
      expect(env.values.find((v) => v.key === 'apiKey')?.value).toBe(REDACTED);
      expect(env.values.find((v) => v.key === 'plain')?.value).toBe(PLAIN);
      const globals = JSON.parse(texts['exports/globals.json']!) as { values: Array<{ key: string; value: string }> };
      expect(globals.values.find((v) => v.key === 'globalSecret')?.value).toBe(REDACTED);
    } finally {
      clearSecrets();
      await rm(dir, { recursive: true, force: true });
    }
  });
}
