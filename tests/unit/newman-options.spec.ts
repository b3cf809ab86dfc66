// Unit tests of the `newman run` flags: parsing with commander, the --reporter-* collection,
// the plan handed to newman.run, and the did-you-mean of an unknown flag.
import { test, expect } from '@playwright/test';
import { Command, CommanderError } from 'commander';
import { CnError, ExitCode } from '../../src/errors.js';
import { addNewmanOptions, toNewmanRunOptions, type ParsedNewmanArgs } from '../../src/newman/options.js';
import { buildProgram, commanderUsageMessage } from '../../src/cli.js';

/** Parse `cognito-newman run <args>` as the CLI does and return what the action receives. */
function parse(args: string[]): { collection: string; opts: ParsedNewmanArgs } {
  const program = new Command('cognito-newman').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  let got: { collection: string; opts: ParsedNewmanArgs } | undefined;
  const run = program.command('run').argument('<collection>');
  addNewmanOptions(run).action((collection: string, opts: ParsedNewmanArgs) => {
    got = { collection, opts };
  });
  program.parse(['node', 'cognito-newman', 'run', ...args]);
  if (!got) throw new Error('action not called');
  return got;
}

function parseError(args: string[]): CnError {
  try {
    parse(args);
  } catch (e) {
    if (e instanceof CnError) return e;
    throw e;
  }
  throw new Error('expected a usage error');
}

test('repeated --folder, --env-var and --global-var are collected in order', () => {
  const { collection, opts } = parse(['c.json', '--folder', 'Admin', '--env-var', 'baseUrl=http://x/?a=b', '--folder', 'Reader', '--env-var', 'k=', '--global-var', 'g=1']);
  expect(collection).toBe('c.json');
  const plan = toNewmanRunOptions(opts);
  expect(plan.folder).toEqual(['Admin', 'Reader']);
  expect(plan.envVar).toEqual([
    { key: 'baseUrl', value: 'http://x/?a=b' },
    { key: 'k', value: '' },
  ]);
  expect(plan.globalVar).toEqual([{ key: 'g', value: '1' }]);
});

test('--reporter-<name>-<option> arguments are nested per selected reporter, camel-cased, generic ones applied to all', () => {
  const { opts } = parse([
    'c.json', '-r', 'cli,junit,htmlextra',
    '--reporter-junit-export', 'out/j.xml',
    '--reporter-htmlextra-skipHeaders=X-Api-Key',
    '--reporter-cli-no-summary',
    '--reporter-htmlextra-title', 'Nightly',
    '--reporter-timezone', 'UTC',
  ]);
  const plan = toNewmanRunOptions(opts);
  expect(plan.reporters).toEqual(['cli', 'junit', 'htmlextra']);
  expect(plan.reporter).toEqual({
    cli: { noSummary: true, timezone: 'UTC' },
    junit: { export: 'out/j.xml', timezone: 'UTC' },
    htmlextra: { skipHeaders: 'X-Api-Key', title: 'Nightly', timezone: 'UTC' },
  });
});

test('a --reporter-* option for a reporter that is not selected becomes generic, as in newman', () => {
  const { opts } = parse(['c.json', '--reporter-junit-export', 'j.xml']);
  expect(toNewmanRunOptions(opts).reporter).toEqual({ cli: { junitExport: 'j.xml' } });
});

test('defaults mirror newman 6: cli reporter, colour auto, insecure file reads allowed, nothing else set', () => {
  const plan = toNewmanRunOptions(parse(['c.json']).opts);
  expect(plan).toEqual({
    envVar: [], globalVar: [], reporters: ['cli'], reporter: { cli: {} },
    insecure: false, ignoreRedirects: false, color: 'auto', verbose: false, silent: false, disableUnicode: false,
    suppressExitCode: false, insecureFileRead: true,
  });
});

test('value and boolean flags map to newman.run option names', () => {
  const plan = toNewmanRunOptions(
    parse([
      'c.json', '-e', 'env.json', '-g', 'glob.json', '-n', '3', '-d', 'data.csv', '--timeout', '60000', '--timeout-request', '5000',
      '--timeout-script', '100', '--delay-request', '0', '-k', '--export-environment', 'out/env.json', '--export-globals', 'out/g.json',
      '--color', 'off', '--verbose', '--silent', '-x', '--ignore-redirects', '--working-dir', 'wd', '--no-insecure-file-read',
      '--ssl-client-cert', 'c.pem', '--ssl-client-key', 'k.pem', '--cookie-jar', 'jar.json',
    ]).opts,
  );
  expect(plan).toMatchObject({
    environment: 'env.json', globals: 'glob.json', iterationCount: 3, iterationData: 'data.csv', timeout: 60000, timeoutRequest: 5000,
    timeoutScript: 100, delayRequest: 0, insecure: true, exportEnvironment: 'out/env.json', exportGlobals: 'out/g.json', color: 'off',
    verbose: true, silent: true, suppressExitCode: true, ignoreRedirects: true, workingDir: 'wd', insecureFileRead: false,
    sslClientCert: 'c.pem', sslClientKey: 'k.pem', cookieJar: 'jar.json',
  });
});

test('--bail alone stops on any failure; with modifiers it keeps them', () => {
  expect(toNewmanRunOptions(parse(['c.json', '--bail']).opts).bail).toBe(true);
  expect(toNewmanRunOptions(parse(['c.json', '--bail', 'folder,failure']).opts).bail).toEqual(['folder', 'failure']);
});

test('bad values are usage errors (exit 2) that say what is expected', () => {
  for (const args of [['--bail', 'sometimes'], ['--color', 'purple'], ['-n', '0'], ['--timeout-request', 'soon'], ['--env-var', 'novalue']]) {
    const e = parseError(['c.json', ...args]);
    expect(e.exitCode, args.join(' ')).toBe(ExitCode.Usage);
    expect(e.code).toBe('OPTION_INVALID');
  }
});

/** The usage line the CLI prints for `cognito-newman run <args>` when commander rejects a flag. */
function unknownFlagLine(args: string[]): string {
  try {
    buildProgram(() => undefined).parse(['node', 'cognito-newman', 'run', ...args]);
  } catch (e) {
    if (e instanceof CommanderError && e.code === 'commander.unknownOption') return commanderUsageMessage(e);
    throw e;
  }
  throw new Error('expected an unknown option');
}

test('an unknown flag is a usage error naming the closest known flag (commander\'s suggestion, one line)', () => {
  expect(unknownFlagLine(['c.json', '--foldr', 'Admin'])).toBe("error [USAGE]: Unknown option '--foldr' (did you mean --folder?). Run `cognito-newman --help` for usage.");
  expect(unknownFlagLine(['c.json', '--enviroment=e.json'])).toContain('did you mean --environment?');
  expect(unknownFlagLine(['c.json', '--reporter', 'junit'])).toContain('did you mean --reporters?');
  expect(unknownFlagLine(['c.json', '--timout-request=5'])).toContain('did you mean --timeout-request?');
});

test('an unknown flag far from every known one gets no suggestion', () => {
  expect(unknownFlagLine(['c.json', '--frobnicate-the-widgets'])).toBe("error [USAGE]: Unknown option '--frobnicate-the-widgets'. Run `cognito-newman --help` for usage.");
});

test('a --name=value after -- is an argument, not a flag to correct', () => {
  expect(() => parse(['c.json', '--', '--enviroment=e.json'])).toThrow(/too many arguments/);
});

test('an unsupported reporter is a usage error with a suggestion', () => {
  const e = parseError(['c.json', '-r', 'cli,htmlextr']);
  expect(e.code).toBe('REPORTER_UNSUPPORTED');
  expect(e.message).toContain('did you mean "htmlextra"?');
});

test('--help is still commander help, not an unknown option', () => {
  let thrown: unknown;
  try {
    parse(['--help']);
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(CommanderError);
  expect((thrown as CommanderError).code).toBe('commander.helpDisplayed');
});

test('toNewmanRunOptions does not share arrays with its input', () => {
  const parsed: ParsedNewmanArgs = { folder: ['A'], envVar: [{ key: 'a', value: '1' }], reporters: ['cli'] };
  const plan = toNewmanRunOptions(parsed);
  plan.folder!.push('B');
  plan.envVar.push({ key: 'b', value: '2' });
  expect(parsed.folder).toEqual(['A']);
  expect(parsed.envVar).toHaveLength(1);
});
