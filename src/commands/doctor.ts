// `cognito-newman doctor`: checks, in order, everything an unattended sign-in depends on, prints a
// ✓/✗/- line per check (with a fix under each ✗) on stdout, and exits 0 only when nothing failed.
// The verdicts are the pure functions of src/doctor/checks.ts; this file gathers what they judge.
import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { loadConfig } from '../config/load.js';
import { DEFAULTS } from '../config/keys.js';
import type { Config, IdpConfig } from '../config/types.js';
import { usageError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ResolvedBrowser } from '../login/browser.js';
import type { SecretResolver } from '../secrets/secrets-manager.js';
import type { acquireTokens } from '../tokens/acquire.js';
import { skip, type CheckResult } from '../doctor/check.js';
import {
  CHECK_NAMES,
  authorizeProbeUrl,
  checkAuthorize,
  checkBrowser,
  checkConfiguration,
  checkDomain,
  checkJwks,
  checkLoginPage,
  checkSecret,
  checkTestLogin,
  domainProbeUrl,
  jwksSkipped,
  type LoadedConfig,
  type LoginOutcome,
  type SecretRead,
} from '../doctor/checks.js';
import { idpForUser } from '../config/federation.js';
import { checkFederatedAuthorize, checkUpstreamPage, FEDERATION_CHECK, federatedAuthorizeUrl } from '../doctor/federation.js';
import { probe } from '../doctor/probe.js';
import { exitCodeFor, formatResult, formatSummary, tally } from '../doctor/report.js';
import { flagsToConfig } from '../config/flags.js';
import { loadOptionalPackage } from '../optional-packages.js';

export interface DoctorFlags extends Record<string, unknown> {
  envFile?: string;
  /** --dotenv, the spelling Node 20 does not intercept (auth-options.ts). */
  dotenv?: string;
  /** Also sign in as every configured test user (opt-in: it launches Chromium and uses the pool). */
  login?: boolean;
  /** Bound for each network check; default COGNITO_NEWMAN_REQUEST_TIMEOUT_MS (10 s). */
  timeoutMs?: number | string;
}

/** Seams for in-process tests; the CLI passes none. */
export interface DoctorDeps {
  /** Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Where .env is looked for; default process.cwd(). */
  cwd?: string;
  secretResolver?: Pick<SecretResolver, 'getJson'>;
  dispatcher?: Dispatcher;
  acquire?: typeof acquireTokens;
  resolveBrowser?: (env: NodeJS.ProcessEnv) => ResolvedBrowser;
}

interface SecretEntry {
  secretId: string;
  done: Promise<{ read: SecretRead; values?: Record<string, string> }>;
}

/** Run every check, print the results to `out`, return the exit code (see report.ts exitCodeFor). */
export async function runDoctorCommand(
  flags: DoctorFlags,
  logger: Logger,
  out: NodeJS.WritableStream = process.stdout,
  deps: DoctorDeps = {},
): Promise<number> {
  const env = deps.env ?? process.env;
  const timeoutFlag = parseTimeout(flags.timeoutMs);
  const results: CheckResult[] = [];
  const report = (r: CheckResult): CheckResult => {
    results.push(r);
    for (const line of formatResult(r)) out.write(`${line}\n`);
    return r;
  };

  // Secrets are read while the configuration loads (they are one of its layers). A secret that
  // cannot be read must not sink the whole configuration: its user gets a placeholder here, is
  // dropped below, and check 7 reports AWS's reason, so checks 2-6 still run.
  const secrets: SecretEntry[] = [];
  const unread = { username: `doctor-unread-${randomUUID()}`, password: `doctor-unread-${randomUUID()}` };
  let resolver: Pick<SecretResolver, 'getJson'> | undefined;
  const readSecret = async (secretId: string): Promise<{ read: SecretRead; values?: Record<string, string> }> => {
    try {
      // Loaded only when a secret is configured: the AWS SDK is slow to load and most runs need none.
      const { createSecretsManagerResolver, credentialsFromSecret, secretKeyNamesFromEnv } = await loadOptionalPackage('@aws-sdk/client-secrets-manager', () => import('../secrets/secrets-manager.js'));
      const keys = secretKeyNamesFromEnv(env);
      resolver ??= deps.secretResolver ?? createSecretsManagerResolver({ env, logger });
      const c = await credentialsFromSecret(resolver, secretId, keys);
      const fields = Object.keys(c);
      return { read: { secretId, fields }, values: { ...c } };
    } catch (error) {
      return { read: { secretId, error } };
    }
  };
  const resolveSecret = async (secretId: string): Promise<Record<string, string>> => {
    let entry = secrets.find((s) => s.secretId === secretId);
    if (!entry) {
      entry = { secretId, done: readSecret(secretId) };
      secrets.push(entry);
    }
    return (await entry.done).values ?? unread;
  };

  // 1. configuration
  let loaded: LoadedConfig;
  try {
    const all = await loadConfig({
      env,
      ...(deps.cwd ? { cwd: deps.cwd } : {}),
      ...((flags.dotenv ?? flags.envFile) ? { envFile: String(flags.dotenv ?? flags.envFile) } : {}),
      flags: flagsToConfig(flags),
      resolveSecret,
      logger,
    });
    const users = all.users.filter((u) => u.password !== unread.password);
    loaded = { config: { ...all, users }, unreadSecretUsers: all.users.length - users.length };
  } catch (error) {
    loaded = { error };
  }
  report(checkConfiguration(loaded));
  const config: Config | undefined = 'config' in loaded ? loaded.config : undefined;
  const needsConfig = 'needs a valid configuration (see above)';
  const timeoutMs = timeoutFlag ?? config?.timeouts.requestMs ?? DEFAULTS.requestTimeoutMs;
  const http = { timeoutMs, ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}) };

  // 2. browser
  const resolveBrowser = deps.resolveBrowser ?? (await import('../login/browser.js')).resolveBrowser;
  report(checkBrowser(() => resolveBrowser(env)));

  // 3. the domain answers
  const domain = config
    ? report(checkDomain(await probe(domainProbeUrl(config.idp), { ...http, accept: 'text/html' }), timeoutMs))
    : report(skip(CHECK_NAMES.domain, needsConfig));

  // 4. /oauth2/authorize leads to /login
  let loginUrl: string | undefined;
  let authorize: CheckResult;
  if (!config) authorize = report(skip(CHECK_NAMES.authorize, needsConfig));
  else if (!domain.ok) authorize = report(skip(CHECK_NAMES.authorize, 'the domain did not answer'));
  else {
    const verdict = checkAuthorize(await probe(authorizeProbeUrl(config.idp), { ...http, readBody: true, accept: 'text/html' }), config.idp, timeoutMs);
    authorize = report(verdict.result);
    loginUrl = verdict.loginUrl;
  }

  // 4b. federated users only (no line otherwise): the app client offers the IdP, and the IdP's page
  // answers; once per IdP named (the shared COGNITO_IDENTITY_PROVIDER and each user's own).
  const federated = new Map<string, IdpConfig>();
  for (const idp of config ? [config.idp, ...config.users.map((u) => idpForUser(config.idp, u))] : []) {
    const url = federatedAuthorizeUrl(idp);
    if (url && !federated.has(url)) federated.set(url, idp);
  }
  for (const [federatedUrl, idp] of federated) {
    if (!domain.ok) {
      report(skip(FEDERATION_CHECK, 'the domain did not answer'));
      break;
    }
    const first = checkFederatedAuthorize(await probe(federatedUrl, { ...http, readBody: true, accept: 'text/html' }), idp, timeoutMs);
    report('result' in first ? first.result : checkUpstreamPage(await probe(first.upstreamUrl, { ...http, accept: 'text/html' }), idp, timeoutMs));
  }

  // 5. the login page
  if (!config) report(skip(CHECK_NAMES.loginPage, needsConfig));
  else if (config.idp.loginUi === 'custom') report(skip(CHECK_NAMES.loginPage, 'COGNITO_LOGIN_UI=custom: the selector profile is tried by a real sign-in (--login)'));
  else if (!authorize.ok || !loginUrl) report(skip(CHECK_NAMES.loginPage, 'needs the /oauth2/authorize check to pass'));
  else report(checkLoginPage(await probe(loginUrl, { ...http, readBody: true, accept: 'text/html' }), config.idp, timeoutMs));

  // 6. the pool's JWKS
  if (!config) report(skip(CHECK_NAMES.jwks, needsConfig));
  else if (!config.idp.jwksUri) report(jwksSkipped());
  else report(checkJwks(await probe(config.idp.jwksUri, { ...http, readBody: true, accept: 'application/json' }), timeoutMs));

  // 7. each secret readable (read during step 1, in the order the configuration asked for them)
  if (secrets.length === 0) report(skip(CHECK_NAMES.secret, 'no TEST_USER_*_SECRET_ID is configured'));
  for (const s of secrets) report(checkSecret((await s.done).read));

  // 7b. sign-in factors (issue 18): each passkey's relying party, each code source answers
  if (config) {
    const { checkPasskeyRelyingParty, checkCodeSource } = await import('../doctor/factors.js');
    for (const u of config.users) {
      if (u.passkey) report(checkPasskeyRelyingParty(u, config.idp, config.passkeyRpId));
      if (u.codeSource) report(await checkCodeSource(u, { env, timeoutMs }));
    }
  }

  // 8. a test login, opt-in
  if (!flags.login) report(skip(CHECK_NAMES.login, 'pass --login to sign in as every test user'));
  else if (!config || results.some((r) => r.status === 'fail')) report(skip(CHECK_NAMES.login, 'fix the failures above first'));
  else if (config.users.length === 0) report(skip(CHECK_NAMES.login, 'no test user'));
  else {
    let outcome: LoginOutcome;
    try {
      const acquire = deps.acquire ?? (await import('../tokens/acquire.js')).acquireTokens;
      const acquired = await acquire({ config, logger, ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}) });
      outcome = {
        users: acquired.map((a) => ({ name: a.name, username: config.users.find((u) => u.name === a.name)?.username ?? a.name, durationMs: a.durationMs })),
      };
    } catch (error) {
      outcome = { error };
    }
    report(checkTestLogin(outcome));
  }

  out.write(`${formatSummary(tally(results))}\n`);
  return exitCodeFor(results);
}

function parseTimeout(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 600_000) {
    throw usageError('USAGE', `--timeout-ms ${String(value)} is not a whole number of milliseconds between 1 and 600000.`, {
      hint: 'Give the bound for each network check, e.g. --timeout-ms 5000.',
    });
  }
  return n;
}
