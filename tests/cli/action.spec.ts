// The GitHub Action's steps run in order on this machine as the runner would run them: bash, the
// action's `env:` with its inputs resolved, GitHub's environment variables and files
// (GITHUB_ACTIONS, GITHUB_ENV, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_PATH, RUNNER_TEMP, ...),
// against the emulator and the demo API. Steps that are `uses:` of third-party actions
// (actions/setup-node, actions/upload-artifact) cannot run here and are skipped, by name, below;
// for the upload, the test checks that what it would upload exists.
import { test, expect } from '../fixtures/emulator.js';
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startDemoApi, type DemoApi } from '../../packages/emulator/demo-api/server.js';
import { baseEnv, REPO_ROOT } from '../fixtures/cli.js';
import { runnerLog, secretsShown } from '../fixtures/actions-runner-log.js';

interface ActionStep {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface ActionFile {
  inputs: Record<string, { default?: string; required?: boolean }>;
  runs: { steps: ActionStep[] };
}

const action = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as ActionFile;
/** The third-party actions this test cannot run; any other `uses:` would fail the test. */
const SKIPPED_USES = ['actions/setup-node@', 'actions/upload-artifact@'];
const DEMO_COLLECTION = join(REPO_ROOT, 'collections', 'demo.postman_collection.json');

interface StepRun {
  name: string;
  skipped?: 'uses' | 'if';
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `${{ inputs.x }}` (and `github.action_path`) in a value, as the runner would substitute them. */
function substitute(value: string, inputs: Record<string, string>): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expr: string) => {
    const input = /^inputs\.([\w-]+)$/.exec(expr);
    if (input) return inputs[input[1]!] ?? '';
    if (expr === 'github.action_path') return REPO_ROOT;
    throw new Error(`the test cannot evaluate \${{ ${expr} }}`);
  });
}

/** The few `if:` forms action.yml uses: always(), `inputs.x != ''`, `inputs.x == 'v'`, joined by &&. */
function condition(expr: string | undefined, inputs: Record<string, string>, failed: boolean): boolean {
  if (!expr) return !failed; // success() is the default
  const body = expr.replace(/^\$\{\{\s*|\s*\}\}$/g, '');
  let always = false;
  const ok = body.split('&&').every((part) => {
    const p = part.trim();
    if (p === 'always()') return (always = true);
    const m = /^inputs\.([\w-]+)\s*(==|!=)\s*'([^']*)'$/.exec(p);
    if (!m) throw new Error(`the test cannot evaluate if: ${expr}`);
    return m[2] === '==' ? inputs[m[1]!] === m[3] : inputs[m[1]!] !== m[3];
  });
  return ok && (always || !failed);
}

/** GITHUB_ENV / GITHUB_OUTPUT lines: KEY=value and KEY<<DELIM heredocs. */
function readCommandFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      out[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return out;
}

function runScript(script: string, env: Record<string, string>, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Run every step of action.yml in order, as a job would; returns each step's outcome and the runner's files. */
async function runAction(given: Record<string, string>, jobEnv: Record<string, string>, prepare?: (workspace: string) => void) {
  const workspace = mkdtempSync(join(tmpdir(), 'cn-action-'));
  // What the job's earlier steps (actions/checkout) put in the workspace.
  prepare?.(workspace);
  const temp = join(workspace, '_runner_temp');
  mkdirSync(temp);
  const files = { env: join(temp, 'env'), output: join(temp, 'output'), summary: join(temp, 'summary'), path: join(temp, 'path') };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const inputs: Record<string, string> = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? '']));
  Object.assign(inputs, given);
  const github: Record<string, string> = {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_ACTION_PATH: REPO_ROOT,
    GITHUB_ENV: files.env,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_PATH: files.path,
    RUNNER_TEMP: temp,
    RUNNER_OS: 'Linux',
    GITHUB_REPOSITORY: 'example/api-tests',
    GITHUB_RUN_ID: '1',
  };
  const steps: StepRun[] = [];
  const outputs: Record<string, Record<string, string>> = {};
  let failed = false;
  for (const step of action.runs.steps) {
    const name = step.name ?? step.uses ?? '?';
    if (!condition(step.if, inputs, failed)) {
      steps.push({ name, skipped: 'if', code: null, stdout: '', stderr: '' });
      continue;
    }
    if (step.uses) {
      // Third-party actions cannot run here; anything else would be a step this test misses.
      expect(SKIPPED_USES.some((u) => step.uses!.startsWith(u)), `unexpected uses: ${step.uses}`).toBe(true);
      steps.push({ name, skipped: 'uses', code: null, stdout: '', stderr: '' });
      continue;
    }
    expect(step.shell).toBe('bash');
    writeFileSync(files.output, '');
    const fromFiles = readCommandFile(files.env);
    const extraPath = readFileSync(files.path, 'utf8').split('\n').filter(Boolean).reverse();
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(v, inputs)]));
    const env = { ...baseEnv(), ...jobEnv, ...github, ...fromFiles, ...stepEnv };
    env.PATH = [...extraPath, env.PATH].join(':');
    const res = await runScript(substitute(step.run!, inputs), env, workspace);
    steps.push({ name, ...res });
    if (step.id) outputs[step.id] = readCommandFile(files.output);
    if (res.code !== 0) failed = true;
  }
  return { workspace, steps, outputs, summary: readFileSync(files.summary, 'utf8'), inputs };
}

let api: DemoApi;
test.beforeAll(async ({ emulator }) => {
  api = await startDemoApi({ port: 0, issuer: emulator.issuer, clientIds: ['demo-public-client'] });
});
test.afterAll(async () => {
  await api?.stop();
});

const PASSWORDS = { admin: 'Admin-Passw0rd!', reader: 'Reader-Passw0rd!' };
const userEnv = (emulatorEnv: Record<string, string>, password = PASSWORDS.admin) => ({
  ...emulatorEnv,
  TEST_USER_ADMIN_USERNAME: 'admin',
  TEST_USER_ADMIN_PASSWORD: password,
  TEST_USER_READER_USERNAME: 'reader',
  TEST_USER_READER_PASSWORD: PASSWORDS.reader,
});

test('the action runs the demo collection: secrets masked first, tokens masked, job summary, reports to upload', async ({ emulator }) => {
  const jobEnv = userEnv({
    COGNITO_DOMAIN: emulator.baseUrl,
    COGNITO_CLIENT_ID: 'demo-public-client',
    COGNITO_USER_POOL_ID: emulator.poolId,
    COGNITO_ISSUER: emulator.issuer,
  });
  const { workspace, steps, outputs, summary, inputs } = await runAction(
    { collection: DEMO_COLLECTION, users: 'admin,reader', args: `--env-var baseUrl=${api.baseUrl}`, 'report-folder': 'out/reports' },
    jobEnv,
  );
  try {
    const show = steps.map((s) => `## ${s.name}: ${s.skipped ? `skipped (${s.skipped})` : `exit ${s.code}`}\n${s.stdout}\n${s.stderr}`).join('\n');
    expect(steps.map((s) => [s.name, s.skipped ?? s.code]), show).toEqual([
      ['Set up Node.js', 'uses'],
      ['Install cognito-newman', 0],
      ['Mask the secrets given in the environment', 0],
      ['Install a browser for the sign-in', 0],
      ['Run the collection', 0],
      ['Upload the reports and sign-in diagnostics', 'uses'],
    ]);
    // The mask step masks both passwords before a step signs in or starts a browser.
    expect(steps[2]!.stdout.split('\n').filter((l) => l.startsWith('::add-mask::')).sort()).toEqual([`::add-mask::${PASSWORDS.admin}`, `::add-mask::${PASSWORDS.reader}`]);

    const run = steps[4]!;
    const issued = emulator.observed.tokens;
    expect(issued.length).toBeGreaterThanOrEqual(4); // access, ID and refresh tokens of two users
    const lines = run.stdout.split('\n');
    const masked = new Set(lines.filter((l) => l.startsWith('::add-mask::')).map((l) => l.slice('::add-mask::'.length)));
    for (const t of issued) {
      // Each token is announced before the first other line of output, and never printed otherwise.
      expect(masked.has(t)).toBe(true);
      expect(lines.filter((l) => !l.startsWith('::add-mask::') && l.includes(t))).toEqual([]);
      expect(run.stderr).not.toContain(t);
    }
    const firstOther = lines.findIndex((l) => l !== '' && !l.startsWith('::add-mask::'));
    const lastMask = lines.map((l) => l.startsWith('::add-mask::')).lastIndexOf(true);
    expect(lastMask).toBeLessThan(firstOther);

    expect(outputs.run).toEqual({ 'exit-code': '0' });
    expect(summary).toMatch(/cognito-newman: .*passed/);
    // What the upload step would upload: its `with.path`, resolved in the workspace.
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    const paths = substitute(upload.with!.path!, inputs).split('\n').filter(Boolean);
    expect(paths[0]).toBe('out/reports');
    for (const f of ['junit.xml', 'report.html']) {
      const text = readFileSync(join(workspace, 'out/reports', f), 'utf8');
      for (const t of issued) expect(text).not.toContain(t);
    }
    expect(summary).not.toContain(PASSWORDS.admin);
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
});

const ENV_SECRET = 'env-secret-from-postman-0815';
test('the collection input takes a Postman v3 folder and the environment input a v12 YAML environment, as a repository keeps them', async ({ emulator }) => {
  const jobEnv = userEnv({ COGNITO_DOMAIN: emulator.baseUrl, COGNITO_CLIENT_ID: 'demo-public-client', COGNITO_USER_POOL_ID: emulator.poolId, COGNITO_ISSUER: emulator.issuer });
  const { workspace, steps, outputs, summary } = await runAction(
    {
      // Paths in the workspace, as Postman's Native Git writes them (spaces and all).
      collection: 'postman/collections/cognito-newman demo',
      environment: 'postman/environments/cognito-newman demo.environment.yaml',
      users: 'admin,reader',
      args: `--env-var baseUrl=${api.baseUrl}`,
      'install-browser': 'false',
    },
    jobEnv,
    (ws) => {
      cpSync(join(REPO_ROOT, 'collections', 'postman'), join(ws, 'postman'), { recursive: true });
      // A value the team marked secret in Postman: masked at once, shown nowhere.
      appendFileSync(join(ws, 'postman', 'environments', 'cognito-newman demo.environment.yaml'), `  - key: partnerApiKey\n    value: ${ENV_SECRET}\n    enabled: true\n    type: secret\n`);
    },
  );
  try {
    const run = steps.find((s) => s.name === 'Run the collection')!;
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const lines = run.stdout.split('\n');
    const firstOther = lines.findIndex((l) => l !== '' && !l.startsWith('::add-mask::'));
    expect(lines.slice(0, firstOther)).toContain(`::add-mask::${ENV_SECRET}`);
    const shown = steps.flatMap((s) => `${s.stdout}\n${s.stderr}`.split('\n')).filter((l) => !l.startsWith('::add-mask::'));
    expect(shown.filter((l) => l.includes(ENV_SECRET))).toEqual([]);
    for (const f of ['junit.xml', 'report.html']) expect(readFileSync(join(workspace, 'reports', f), 'utf8')).not.toContain(ENV_SECRET);
    expect(summary).not.toContain(ENV_SECRET);
    expect(outputs.run).toEqual({ 'exit-code': '0' });
    expect(run.stderr).toContain('assertions: 11 (0 failed)');
    expect(run.stdout).toContain('reader is forbidden (403)');
    expect(summary).toMatch(/cognito-newman: .*cognito-newman demo.* passed/);
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
});

test('a rejected sign-in: the run step fails with exit 3, says so in the job summary, and the upload still runs', async ({ emulator }) => {
  // With `%`, escape-like text and a line break: the mask step must escape it and mask it line by line.
  const clientSecret = 'cs-%25-first-half\nsecond-%0A-half';
  const jobEnv = userEnv(
    { COGNITO_DOMAIN: emulator.baseUrl, COGNITO_CLIENT_ID: 'demo-public-client', COGNITO_USER_POOL_ID: emulator.poolId, COGNITO_ISSUER: emulator.issuer, COGNITO_CLIENT_SECRET: clientSecret },
    'Wrong-Passw0rd-123!',
  );
  const { workspace, steps, outputs, summary } = await runAction({ collection: DEMO_COLLECTION, users: 'admin', 'install-browser': 'false' }, jobEnv);
  try {
    expect(steps.map((s) => [s.name, s.skipped ?? s.code])).toEqual([
      ['Set up Node.js', 'uses'],
      ['Install cognito-newman', 0],
      ['Mask the secrets given in the environment', 0],
      ['Install a browser for the sign-in', 'if'],
      ['Run the collection', 3],
      // if: always(): the diagnostics of the failed sign-in are uploaded.
      ['Upload the reports and sign-in diagnostics', 'uses'],
    ]);
    expect(outputs.run).toEqual({ 'exit-code': '3' });
    expect(summary).toContain('exit 3 (sign-in rejected)');
    expect(steps[4]!.stderr).toContain('error [LOGIN_REJECTED]');
    expect(steps[2]!.stdout).toContain('::add-mask::Wrong-Passw0rd-123!');
    // Printed only inside the mask commands, which the runner consumes: the job log shows none of it.
    const log = runnerLog(steps.map((s) => `${s.stdout}${s.stderr}`).join('\n'));
    expect(secretsShown(log, ['Wrong-Passw0rd-123!', PASSWORDS.reader, clientSecret]), log).toEqual([]);
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
});
