// `cognito-newman demo --serve`: the emulator and the demo API stay up until Ctrl-C, and the user
// gets the exact .env lines (stdout) and commands (stderr) with which api-test, run, token and
// doctor --login pass against them. The demo you can keep using after `npm run demo`.
import { existsSync, mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { localFailure, usageError } from '../errors.js';
import { createLogger, type Logger } from '../log.js';
import { loadConfig } from '../config/load.js';
// From the emulator package: cli.ts loads this module through loadOptionalPackage (exit 5 naming it when absent).
import { startEmulator, type RunningEmulator } from 'cognito-newman-emulator';
import { DEMO_CLIENT, DEMO_IDP, DEMO_USERS, DEMO_USERS_TEXT, demoPoolWith, demoUserEnv } from 'cognito-newman-emulator/demo-pool';
import { startDemoApi, type DemoApi } from 'cognito-newman-emulator/demo-api';
import { DEMO_MAIL_DIR, DEMO_PUBLISHED_PASSKEY, demoFactorEnv, poolEntryFor, withFactorUsers } from './demo-factors.js';
import { cacheDir, cacheKeyFor, deleteCache } from '../tokens/cache.js';
import { idpForUser } from '../config/federation.js';
import { packageRoot } from '../package-root.js';
import { demoFiles } from './demo.js';

/** Fixed defaults so the printed .env lines stay true when the demo is started again. */
export const DEMO_EMULATOR_PORT = 9977;
/** collections/demo.postman_environment.json points {{baseUrl}} here. */
export const DEMO_API_PORT = 9978;
export { DEMO_CLIENT, DEMO_USERS };

export interface DemoServeFlags {
  port?: string | number;
  apiPort?: string | number;
  /** Point API_TEST_COLLECTION/ENVIRONMENT at the Postman v3 copies (collections/postman/). */
  v3?: boolean;
}

/** The `.env` settings that point cognito-newman at a running demo (also the active lines of .env.example). */
export function demoEnvLines(emu: Pick<RunningEmulator, 'baseUrl' | 'issuer' | 'poolId'>, paths: { collection: string; environment?: string }): string[] {
  const lines = [
    `COGNITO_DOMAIN=${emu.baseUrl}`,
    `COGNITO_CLIENT_ID=${DEMO_CLIENT}`,
    `COGNITO_USER_POOL_ID=${emu.poolId}`,
    `COGNITO_ISSUER=${emu.issuer}`,
    ...withFactorUsers(demoUserEnv(), demoFactorEnv(DEMO_PUBLISHED_PASSKEY, DEMO_MAIL_DIR, true)).map(([k, v]) => `${k}=${v}`),
  ];
  lines.push(`API_TEST_COLLECTION=${paths.collection}`);
  if (paths.environment) lines.push(`API_TEST_ENVIRONMENT=${paths.environment}`);
  return lines;
}

/** A path as one shell word (the v3 copies' paths hold spaces, as Postman names them). */
const shellWord = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function parsePort(value: string | number | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw usageError('PORT_INVALID', `${flag} ${String(value)} is not a port number.`, { hint: 'Use 0-65535 (0 picks a free port).' });
  }
  return n;
}

function portInUse(err: unknown, port: number, what: string, flag: string): unknown {
  if ((err as NodeJS.ErrnoException)?.code !== 'EADDRINUSE') return err;
  return localFailure('PORT_IN_USE', `Port ${port} on 127.0.0.1 is already in use, so the ${what} cannot start there (is another \`demo --serve\` or \`emulator\` running?).`, {
    hint: `Stop the other process, or pick another port with ${flag} N (0 picks a free one; the printed .env lines then name it).`,
  });
}

/**
 * Cached tokens from an earlier demo session were signed by keys that died with it (the emulator
 * makes new keys per process), and the demo API would answer them with 401: forget them.
 */
async function forgetEarlierSessions(env: Record<string, string>): Promise<void> {
  const config = await loadConfig({ envFile: false, env, logger: createLogger('silent') });
  const dir = cacheDir();
  for (const user of config.users) {
    // The key as sign-ins write it: a federated user's (partner's) names its IdP.
    await deleteCache(dir, cacheKeyFor(idpForUser(config.idp, user), user.username)).catch(() => 0);
  }
}

/** Start both servers, print how to use them, serve until SIGINT/SIGTERM; resolves with exit code 0. */
export async function runDemoServe(
  flags: DemoServeFlags,
  logger: Logger,
  io: { stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream; cwd?: string; until?: Promise<void> } = {},
): Promise<number> {
  const out = io.stdout ?? process.stdout;
  const err = io.stderr ?? process.stderr;
  const cwd = io.cwd ?? process.cwd();
  const emuPort = parsePort(flags.port, DEMO_EMULATOR_PORT, '--port');
  const apiPort = parsePort(flags.apiPort, DEMO_API_PORT, '--api-port');

  let emulator: RunningEmulator;
  try {
    // Managed Login: passkeys and choice-based sign-in exist only there. Emails (the email-mfa
    // user's codes) go to a folder next to where the user runs api-test, as the .env lines say.
    const mailDir = resolve(cwd, DEMO_MAIL_DIR);
    mkdirSync(mailDir, { recursive: true });
    emulator = await startEmulator({ port: emuPort, logger: createLogger('silent'), ui: 'managed', config: demoPoolWith({ passkeys: [poolEntryFor(DEMO_PUBLISHED_PASSKEY)], mailDir }) });
  } catch (e) {
    throw portInUse(e, emuPort, 'Cognito emulator', '--port');
  }
  let api: DemoApi;
  try {
    api = await startDemoApi({ port: apiPort, issuer: emulator.issuer, clientIds: [DEMO_CLIENT] });
  } catch (e) {
    await emulator.stop();
    throw portInUse(e, apiPort, 'demo API', '--api-port');
  }

  try {
    const root = packageRoot();
    const rel = (p: string) => relative(cwd, p) || '.';
    const files = demoFiles(!!flags.v3);
    const collection = rel(join(root, files.collection));
    // The shipped environment names the default API port; any other port goes on the command line.
    const defaultApi = api.baseUrl === `http://127.0.0.1:${DEMO_API_PORT}`;
    const environment = defaultApi ? rel(join(root, files.environment)) : undefined;
    const extra = defaultApi ? '' : ` --env-var baseUrl=${api.baseUrl}`;
    const envLines = demoEnvLines(emulator, { collection, ...(environment ? { environment } : {}) });
    // As dotenv reads the lines: a value in single quotes is taken verbatim without them.
    await forgetEarlierSessions(Object.fromEntries(envLines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).replace(/^'(.*)'$/, '$1')])));

    // In this repository's checkout npm 11's npx would reinstall and rebuild it first: use the npm script.
    const checkout = existsSync(join(root, 'src', 'cli.ts')) && resolve(cwd) === root;
    const cn = checkout ? 'npm run -s cn --' : 'npx cognito-newman';
    const say = (l = '') => err.write(`${l}\n`);
    say(`demo --serve: Cognito emulator (Managed Login) at ${emulator.baseUrl}, demo API at ${api.baseUrl} (users ${DEMO_USERS_TEXT.replace(' and ', ', ')}, passwordless and email-mfa; partner is federated: it signs in at the emulator's local OIDC IdP ${DEMO_IDP.providerName}; passwordless signs in with a passkey, email-mfa with a password and a code emailed to ${DEMO_MAIL_DIR}).`);
    const exact = defaultApi && emulator.baseUrl === `http://127.0.0.1:${DEMO_EMULATOR_PORT}`;
    say(`Put these lines in .env${checkout ? ` (\`cp .env.example .env\` gives you exactly these${exact ? '' : ', except the ports'})` : ''}:`);
    say();
    out.write(`# cognito-newman demo --serve (published test values, never use them anywhere real)\n${envLines.join('\n')}\n`);
    say();
    say('Then, in another terminal in this folder:');
    // `npm run api-test` is this repository's script (API_TEST_COLLECTION from .env); elsewhere `run` is the same run.
    if (checkout) say(`  npm run api-test${extra ? ` --${extra}` : ''}    # the demo collection for ${DEMO_USERS_TEXT}`);
    say(`  ${cn} run ${shellWord(collection)}${environment ? ` -e ${shellWord(environment)}` : extra}${checkout ? '' : `    # the demo collection for ${DEMO_USERS_TEXT}`}`);
    say(`  ${cn} token --user admin --format header    # prints Authorization: Bearer ...`);
    say(`  ${cn} doctor --login`);
    say(`  curl -H "$(${cn} token --user reader --format header)" ${api.baseUrl}/me`);
    say();
    say('Press Ctrl-C to stop.');

    await (io.until ??
      new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      }));
    logger.info('demo --serve: stopping the demo API and the emulator.');
    return 0;
  } finally {
    await api.stop();
    await emulator.stop();
  }
}
