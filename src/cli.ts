#!/usr/bin/env node
// The cognito-newman command line: argument parsing, exit codes, and the one place where every
// error (ours or a library's) becomes one short paragraph on stderr.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { CnError, ExitCode, formatError, isCnError } from './errors.js';
import { createLogger, enableGithubMasking, type Logger } from './log.js';
import { addNewmanOptions } from './newman/options.js';
import { addAuthOptions } from './commands/auth-options.js';
import { fromEmulatorError, loadOptionalPackage } from './optional-packages.js';
import { installInterruptHandlers, interruptedBy, SIGNAL_EXIT_CODES } from './interrupt.js';

interface CommonFlags {
  silent?: boolean;
  debug?: boolean;
}

let debugMode = process.argv.includes('--debug');

function loggerFor(flags: CommonFlags, handleSignals = true): Logger {
  debugMode = !!flags.debug;
  // An interruption is reported as one line and exits 130/143 (src/interrupt.ts); the emulator has its own stop.
  if (handleSignals) installInterruptHandlers();
  return createLogger(flags.debug ? 'debug' : flags.silent ? 'silent' : 'info');
}

function commonOptions(cmd: Command, withSilent = true): Command {
  if (withSilent) cmd.option('--silent', 'no progress output on stderr');
  return cmd.option('--debug', 'show causes and stack traces of errors');
}

export function buildProgram(onExit: (code: number) => void): Command {
  const program = new Command('cognito-newman')
    .description('Run a Postman collection unattended against an API protected by Amazon Cognito.')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });

  const token = commonOptions(program.command('token'))
    .description('sign in and print tokens to stdout (for curl, k6, other tools)')
    .option('--user <name>', 'only this named user (default: every configured user)')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'env', 'header']).default('json'))
    .addOption(
      new Option('--grant <grant>', 'authorization-code (a test user signs in; implicit with --response-type token) or client-credentials (M2M, needs a client secret)')
        .choices(['authorization-code', 'client-credentials'])
        .default('authorization-code'),
    );
  addAuthOptions(token).action(async (opts) => onExit(await (await import('./commands/token.js')).runTokenCommand(opts, loggerFor(opts))));

  const run = program
    .command('run')
    .description('acquire tokens for every configured user, inject them, and run the collection with Newman')
    .argument('<collection>', 'collection: a v2.1 JSON file path or URL, or a Postman v3 (Git-native) collection folder');
  addNewmanOptions(run);
  commonOptions(run, !run.options.some((o) => o.long === '--silent'));
  run
    .option('--shard <i/n>', 'run only shard i of n: top-level folders split deterministically, balanced by request count')
    .option('--reports-dir <dir>', 'where report files go unless --reporter-<name>-export says otherwise', 'reports')
    .option('--allow-undefined-variables', 'warn, instead of stopping, when a request URL uses a {{variable}} nothing defines');
  addAuthOptions(run).action(async (collection: string, opts) => onExit(await (await import('./commands/run-command.js')).runRunCommand(collection, opts, loggerFor(opts))));

  commonOptions(program.command('emulator'))
    .description('start the local Cognito user-pool domain emulator')
    .option('--port <n>', 'port (0 picks a free one)', '9977')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--config <file>', 'pool configuration (JSON in Cognito API shapes); default pool when absent')
    .addOption(new Option('--ui <ui>', 'Hosted UI flavour').choices(['classic', 'managed']).default('classic'))
    .option('--username-first', 'managed login asks for the username first')
    .option('--hydration-delay <ms>', 'managed login: how long the page takes to hydrate (default 300)')
    .option('--step-delay <ms>', 'managed login: how long a client-rendered step takes to appear (default 150)')
    .addOption(new Option('--corporate-form <order>', 'managed login: the corporate-email form before or after the personal one in the DOM').choices(['before', 'after']))
    .option('--managed-texts <file>', 'managed login: JSON file replacing the texts of the uncertain screens (see README)')
    .option('--message-sinks <file>', 'JSON file naming where emails and SMS with one-time codes go: S3, SMTP or files (see README)')
    .addOption(new Option('--passkey-counter <policy>', 'passkey signature counter: strict (must grow) or ignore').choices(['strict', 'ignore']))
    .option('--fault <spec>', 'fault injection, repeatable (see README)', collect, [] as string[])
    .action(async (opts) => {
      const logger = loggerFor(opts, false);
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new CnError('PORT_INVALID', ExitCode.Usage, `--port ${opts.port} is not a port number.`, { hint: 'Use 0-65535 (0 picks a free port).' });
      }
      const { runEmulatorCommand } = await loadOptionalPackage('cognito-newman-emulator', () => import('cognito-newman-emulator/command'));
      const emulator = await runEmulatorCommand(
        {
          port, host: opts.host, configPath: opts.config, ui: opts.ui, usernameFirst: !!opts.usernameFirst, faults: opts.fault,
          messageSinksPath: opts.messageSinks, passkeyCounter: opts.passkeyCounter,
          managed: { hydrationDelay: opts.hydrationDelay, stepDelay: opts.stepDelay, corporateForm: opts.corporateForm, textsPath: opts.managedTexts },
        },
        logger,
      );
      // Serve until told to stop; a clean stop on SIGINT/SIGTERM frees the port at once.
      await new Promise<void>((resolve) => {
        const stop = () => void emulator.stop().then(resolve, resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      onExit(0);
    });

  const doctor = commonOptions(program.command('doctor'))
    .description('check the configuration, browser, domain, app client, login page, JWKS and secrets, with a fix for each problem')
    .option('--login', 'also sign in every configured user')
    .option('--timeout-ms <ms>', 'bound for each network check (default: COGNITO_NEWMAN_REQUEST_TIMEOUT_MS, 10000)');
  addAuthOptions(doctor).action(async (opts) => onExit(await (await import('./commands/doctor.js')).runDoctorCommand(opts, loggerFor(opts))));

  const logout = commonOptions(program.command('logout'))
    .description('revoke the cached refresh tokens at /oauth2/revoke and delete the token cache')
    .option('--user <name>', 'only this named user (default: every configured user)');
  addAuthOptions(logout).action(async (opts) => onExit(await (await import('./commands/logout.js')).runLogoutCommand(opts, loggerFor(opts))));

  const passkey = program.command('passkey').description('passkeys of test users (Managed Login)');
  const enroll = commonOptions(passkey.command('enroll'))
    .description('sign a test user in, register a passkey on /passkeys/add, and print the credential JSON on stdout (store it as TEST_USER_PASSKEY or the "passkey" key of the user\'s secret)')
    .option('--user <name>', 'the named user (default: the first configured user)');
  addAuthOptions(enroll).action(async (opts) => onExit(await (await import('./commands/passkey.js')).runPasskeyEnrollCommand(opts, loggerFor(opts))));

  program
    .command('install-browser')
    .description("install Chromium's headless shell for the sign-ins (what the postinstall script does; npm 11 may skip that)")
    .action(async () => onExit(await (await import('./commands/install-browser.js')).runInstallBrowserCommand()));

  commonOptions(program.command('convert'))
    .description('write a Postman v3 (Git-native, Postman v12) collection folder as Postman Collection v2.1 JSON')
    .argument('<folder>', "the v3 collection's folder (postman/collections/<name>)")
    .option('-o, --output <file>', 'write the JSON to this file instead of stdout')
    .action(async (folder: string, opts) => onExit(await (await import('./commands/convert.js')).runConvertCommand(folder, opts, loggerFor(opts))));

  commonOptions(program.command('demo'))
    .description('emulator + demo API + sample collection, end to end, no AWS needed')
    .option('--reports-dir <dir>', 'where reports go', 'reports/demo')
    .option('--serve', 'keep the emulator and the demo API up until Ctrl-C and print the .env lines to use them')
    .option('--port <n>', 'with --serve: the emulator\'s port (0 picks a free one)')
    .option('--api-port <n>', 'with --serve: the demo API\'s port (0 picks a free one)')
    .option('--v3', 'the Postman v12 (Git-native) copy of the demo collection and environment (collections/postman/)')
    .addOption(new Option('--ui <ui>', 'Hosted UI flavour of the emulator (Managed Login, the default of new pools, shows the passkey and email-code users too)').choices(['classic', 'managed']).default('managed'))
    .action(async (opts) =>
      onExit(
        opts.serve
          ? // Ctrl-C is how --serve ends (exit 0, servers stopped), as for the emulator: not an interruption.
            await (await loadOptionalPackage('cognito-newman-emulator', () => import('./commands/demo-serve.js'))).runDemoServe(opts, loggerFor(opts, false))
          : await (await loadOptionalPackage('cognito-newman-emulator', () => import('./commands/demo.js'))).runDemoCommand(opts, loggerFor(opts)),
      ),
    );

  return program;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * Commander's own error (unknown flag, missing argument) as our one-paragraph usage error; its
 * suggestion ("(Did you mean --folder?)" on a line of its own) joins the sentence.
 */
export function commanderUsageMessage(err: CommanderError): string {
  const message = err.message.replace(/^error: /, '').replace(/\n\(Did you mean (.+)\)$/, ' (did you mean $1)');
  return `error [USAGE]: ${message.charAt(0).toUpperCase()}${message.slice(1)}${message.endsWith('.') ? '' : '.'} Run \`cognito-newman --help\` for usage.`;
}

/** Commander's own errors are usage errors: exit 2. */
function fromCommander(err: CommanderError): number {
  if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
  process.stderr.write(commanderUsageMessage(err) + '\n');
  return ExitCode.Usage;
}

// Each command's modules load only when it runs (dynamic imports above): start-up stays fast, and
// a cache hit never loads Playwright or the AWS SDK.
export async function main(argv: string[] = process.argv): Promise<number> {
  // Before any output: GitHub Actions hides every secret from the log once it is announced.
  if (process.env.GITHUB_ACTIONS === 'true') enableGithubMasking();
  let exitCode: number | undefined;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode ?? 0;
  } catch (err) {
    if (err instanceof CommanderError) return fromCommander(err);
    // Errors caused by an interruption (a browser closed under a sign-in) are not the story: the interruption line is.
    const signal = interruptedBy();
    if (signal) return SIGNAL_EXIT_CODES[signal];
    // The emulator package's own errors (emulator, demo) are presented as ours.
    const e = fromEmulatorError(err);
    process.stderr.write(formatError(e, debugMode) + '\n');
    return isCnError(e) ? e.exitCode : ExitCode.IdpFailure;
  }
}

/** How long the process may linger after the command finished (documented in README, "Timeouts"). */
export const EXIT_GRACE_MS = 2_000;

// Run when executed directly (the bin), not when imported by tests.
const invokedDirectly = (() => {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
})();
if (invokedDirectly) {
  main().then(
    (code) => {
      process.exitCode = code;
      // Done is done: whatever still holds the event loop (a socket a hung server keeps open, a
      // browser slow to exit) gets EXIT_GRACE_MS, then the process exits with the result.
      setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
    },
    (err) => {
      process.stderr.write(formatError(err, debugMode) + '\n');
      process.exitCode = ExitCode.IdpFailure;
    },
  );
}
