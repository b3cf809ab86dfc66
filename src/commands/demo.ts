// `cognito-newman demo`: the whole product on one machine with no AWS: the Cognito emulator, the
// demo API, and the demo collection run for three users: admin (allowed), reader (forbidden) and
// partner, a federated user who signs in at the emulator's local OIDC upstream (Okta-style pages).
import { join, relative, resolve } from 'node:path';
import { createLogger, type Logger } from '../log.js';
import { loadConfig } from '../config/load.js';
import { acquireTokens } from '../tokens/acquire.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
// From the emulator package: cli.ts loads this module through loadOptionalPackage (exit 5 naming it when absent).
import { startEmulator } from 'cognito-newman-emulator';
import { DEMO_CLIENT, DEMO_POOL, DEMO_USERS_TEXT, demoPoolWith, demoUserEnv } from 'cognito-newman-emulator/demo-pool';
import { startDemoApi } from 'cognito-newman-emulator/demo-api';
import { demoFactorEnv, enrollDemoPasskey, withFactorUsers } from './demo-factors.js';
import { toNewmanRunOptions } from '../newman/options.js';
import { runCollection } from '../newman/run.js';
import { signInViews } from '../newman/html-report.js';
import { packageRoot } from '../package-root.js';

export interface DemoFlags {
  reportsDir: string;
  silent?: boolean;
  /** The emulator's Hosted UI flavour; the driver finds out which by itself (COGNITO_LOGIN_UI auto). */
  ui?: 'classic' | 'managed';
  /** Run the Postman v3 (Git-native) copy of the demo collection, with its v3 YAML environment. */
  v3?: boolean;
}

/**
 * The demo collection and environment, relative to the package root: the 2.1 JSON files, or the
 * v3 folder and YAML environment the official Postman CLI made from them (scripts/make-v3-fixtures.mjs),
 * laid out as Postman's Native Git writes a workspace.
 */
export function demoFiles(v3: boolean): { collection: string; environment: string } {
  return v3
    ? { collection: join('collections', 'postman', 'collections', 'cognito-newman demo'), environment: join('collections', 'postman', 'environments', 'cognito-newman demo.environment.yaml') }
    : { collection: join('collections', 'demo.postman_collection.json'), environment: join('collections', 'demo.postman_environment.json') };
}


export async function runDemoCommand(flags: DemoFlags, logger: Logger): Promise<number> {
  const started = Date.now();
  const quiet = createLogger('silent');
  // On Managed Login the demo also shows the factors beyond the password (passkeys, email MFA),
  // which the classic Hosted UI does not have; their emails go to a folder of its own.
  const managed = (flags.ui ?? 'managed') === 'managed';
  const mailDir = managed ? mkdtempSync(join(tmpdir(), 'cognito-newman-demo-mail-')) : undefined;
  const emulator = await startEmulator({ port: 0, logger: quiet, ui: flags.ui ?? 'managed', config: mailDir ? demoPoolWith({ mailDir }) : DEMO_POOL });
  const api = await startDemoApi({ port: 0, issuer: emulator.issuer, clientIds: [DEMO_CLIENT] });
  try {
    logger.info(`demo: Cognito emulator (${emulator.ui === 'managed' ? 'Managed Login' : 'classic Hosted UI'}) at ${emulator.baseUrl}, demo API at ${api.baseUrl}`);
    let userEnv = demoUserEnv();
    if (mailDir) {
      // The passwordless user's passkey is enrolled here, as `passkey enroll` would: an email code, then /passkeys/add.
      const { launchBrowser } = await import('../login/browser.js');
      const browser = await launchBrowser({ blockedHosts: ['oauth.pstmn.io'], logger });
      try {
        const idp = (await loadConfig({ envFile: false, env: { COGNITO_DOMAIN: emulator.baseUrl, COGNITO_CLIENT_ID: DEMO_CLIENT }, logger: quiet })).idp;
        const passkey = await enrollDemoPasskey({ browser, idp, mailDir, artifactsDir: resolve(process.env.COGNITO_NEWMAN_ARTIFACTS_DIR ?? 'cognito-newman-artifacts'), logger });
        logger.info(`demo: enrolled a passkey for passkey-user (the passwordless user) through /passkeys/add`);
        userEnv = withFactorUsers(userEnv, demoFactorEnv(passkey, mailDir));
      } finally {
        await browser.close().catch(() => undefined);
      }
    }
    // Only these values: neither the user's .env nor their environment may steer the demo elsewhere.
    const config = await loadConfig({
      envFile: false,
      env: {
        COGNITO_DOMAIN: emulator.baseUrl,
        COGNITO_CLIENT_ID: DEMO_CLIENT,
        COGNITO_USER_POOL_ID: emulator.poolId,
        COGNITO_ISSUER: emulator.issuer,
        COGNITO_SCOPES: 'openid email profile',
        ...Object.fromEntries(userEnv),
        ...(process.env.COGNITO_NEWMAN_ARTIFACTS_DIR ? { COGNITO_NEWMAN_ARTIFACTS_DIR: process.env.COGNITO_NEWMAN_ARTIFACTS_DIR } : {}),
      },
      logger,
    });
    const users = await acquireTokens({ config, logger });
    const reportsDir = resolve(flags.reportsDir);
    const files = demoFiles(!!flags.v3);
    if (flags.v3) logger.info(`demo: the Postman v3 collection folder ${files.collection} with the environment ${files.environment}`);
    const plan = toNewmanRunOptions({
      reporters: ['cli', 'junit', 'html'],
      // The v3 run also reads its YAML environment; its baseUrl (demo --serve's port) gives way to this API's.
      ...(flags.v3 ? { environment: join(packageRoot(), files.environment) } : {}),
      envVar: [{ key: 'baseUrl', value: api.baseUrl }],
      silent: !!flags.silent,
    });
    const result = await runCollection({
      collection: join(packageRoot(), files.collection),
      plan,
      users: users.map((u) => ({ name: u.name, ...(u.username ? { username: u.username } : {}), tokens: u.tokens })),
      authBlockToken: 'access',
      reportsDir,
      logger,
      signIns: signInViews(users, config.users),
    });
    const s = result.summary;
    const rel = relative(process.cwd(), reportsDir) || '.';
    logger.info(
      `demo ${result.exitCode === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s for users ${mailDir ? `${DEMO_USERS_TEXT.replace(' and ', ', ')}, passwordless (passkey) and email-mfa (email code)` : DEMO_USERS_TEXT}. ` +
        `${s.assertions.total - s.assertions.failed}/${s.assertions.total} assertions passed. ` +
        `Reports: ${join(rel, 'junit.xml')}, ${join(rel, 'report.html')}.`,
    );
    return result.exitCode;
  } finally {
    await api.stop();
    await emulator.stop();
    if (mailDir) rmSync(mailDir, { recursive: true, force: true });
  }
}
