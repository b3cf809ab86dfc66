// Unit tests of configuration loading: source order, every problem at once, https policy,
// derived endpoints and issuer, domain and pool-id parsing, and test users from the environment.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { CnError, ExitCode } from '../../src/errors.js';
import { REDACTED, redact, type Logger } from '../../src/log.js';
import { loadConfig, type ConfigSources } from '../../src/config/load.js';
import { cognitoIssuer, parseDomain, parsePoolId } from '../../src/config/domain.js';
import { usersFromEnv } from '../../src/secrets/env.js';

const DOMAIN = 'https://my-app.auth.eu-west-1.amazoncognito.com';

/** A folder with an optional .env; nothing is read from the real cwd or process.env. */
function dir(dotenv?: string): string {
  const d = mkdtempSync(join(tmpdir(), 'cn-config-'));
  if (dotenv !== undefined) writeFileSync(join(d, '.env'), dotenv);
  return d;
}

function captureLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { level: 'info', info: () => undefined, debug: () => undefined, warn: (m) => warnings.push(m), warnings };
}

const load = (s: ConfigSources) => loadConfig({ env: {}, cwd: dir(), logger: captureLogger(), ...s });

async function problems(s: ConfigSources): Promise<CnError> {
  const err = await load(s).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CnError);
  const e = err as CnError;
  expect(e.code).toBe('CONFIG_INVALID');
  expect(e.exitCode).toBe(ExitCode.Usage);
  return e;
}

test.describe('source order', () => {
  test('collection block < .env < environment < Secrets Manager < flags, key by key', async () => {
    const cwd = dir(['COGNITO_DOMAIN=https://from-dotenv.example.com', 'COGNITO_CLIENT_ID=dotenv-client', 'COGNITO_SCOPES=openid dotenv', 'TEST_USER_SECRET_ID=sm-id'].join('\n'));
    const config = await loadConfig({
      cwd,
      logger: captureLogger(),
      collectionAuth: { COGNITO_DOMAIN: 'https://from-collection.example.com', COGNITO_REDIRECT_URI: 'https://collection.example/cb', COGNITO_CLIENT_ID: 'collection-client' },
      env: { COGNITO_CLIENT_ID: 'env-client', COGNITO_SCOPES: 'openid env', TEST_USER_USERNAME: 'env-user', TEST_USER_PASSWORD: 'env-password' },
      resolveSecret: async (id) => {
        expect(id).toBe('sm-id');
        return { username: 'sm-user', password: 'sm-password' };
      },
      flags: { COGNITO_SCOPES: 'openid flag' },
    });
    expect(config.idp.redirectUri).toBe('https://collection.example/cb'); // only the collection block sets it
    expect(config.idp.domain).toBe('https://from-dotenv.example.com'); // .env beats the collection block
    expect(config.idp.clientId).toBe('env-client'); // environment beats .env
    expect(config.users).toEqual([{ name: 'default', username: 'sm-user', password: 'sm-password' }]); // Secrets Manager beats env
    expect(config.idp.scopes).toEqual(['openid', 'flag']); // flags beat everything
  });

  test('.env is parsed without touching process.env, and a blank value does not hide a lower source', async () => {
    const cwd = dir('COGNITO_DOMAIN=https://dotenv.example.com\nCOGNITO_CLIENT_ID=\nCN_TEST_SENTINEL=1\n');
    const config = await loadConfig({ cwd, env: {}, collectionAuth: { COGNITO_CLIENT_ID: 'from-block' }, logger: captureLogger() });
    expect(config.idp.clientId).toBe('from-block');
    expect(process.env.CN_TEST_SENTINEL).toBeUndefined();
    expect(process.env.COGNITO_DOMAIN).toBeUndefined();
  });

  test('a named .env file that does not exist is a problem; the default one may be absent', async () => {
    await load({ env: { COGNITO_DOMAIN: DOMAIN, COGNITO_CLIENT_ID: 'c' } });
    const e = await problems({ env: { COGNITO_DOMAIN: DOMAIN, COGNITO_CLIENT_ID: 'c' }, envFile: 'missing.env' });
    expect(e.details.envFile).toMatch(/does not exist/);
  });
});

test.describe('validation', () => {
  test('every problem is reported at once, one entry per variable, without secret values', async () => {
    const e = await problems({
      env: {
        COGNITO_DOMAIN: 'http://idp.example.com',
        COGNITO_CLIENT_AUTH: 'mtls',
        COGNITO_LOGIN_UI: 'fancy',
        COGNITO_NEWMAN_CONCURRENCY: 'many',
        COGNITO_USER_POOL_ID: 'not-a-pool',
        TEST_USER_USERNAME: 'alice',
        TEST_USER_TOTP_SECRET: 'not base32 !!',
        TEST_USERS: 'admin',
      },
    });
    expect(Object.keys(e.details).sort()).toEqual(
      [
        'COGNITO_CLIENT_AUTH',
        'COGNITO_CLIENT_ID',
        'COGNITO_DOMAIN',
        'COGNITO_LOGIN_UI',
        'COGNITO_NEWMAN_CONCURRENCY',
        'COGNITO_USER_POOL_ID',
        'TEST_USER_ADMIN_USERNAME',
        'TEST_USER_PASSWORD',
        'TEST_USER_TOTP_SECRET',
      ].sort(),
    );
    expect(e.message).toContain('9 problems');
    expect(e.message).not.toContain('not base32 !!');
  });

  test('http:// is refused for a non-loopback domain', async () => {
    const e = await problems({ env: { COGNITO_DOMAIN: 'http://auth.example.com', COGNITO_CLIENT_ID: 'c' } });
    expect(e.details.COGNITO_DOMAIN).toMatch(/COGNITO_INSECURE_ALLOW_HTTP=1/);
  });

  for (const host of ['127.0.0.1:4566', '127.8.9.10', 'localhost:3000', '[::1]:8080']) {
    test(`http:// is allowed for the loopback host ${host}`, async () => {
      const logger = captureLogger();
      const config = await loadConfig({ env: { COGNITO_DOMAIN: `http://${host}`, COGNITO_CLIENT_ID: 'c' }, cwd: dir(), logger });
      expect(config.idp.endpoints.token).toBe(`http://${host}/oauth2/token`);
      expect(logger.warnings).toEqual([]);
    });
  }

  test('COGNITO_INSECURE_ALLOW_HTTP=1 allows http:// with a loud warning', async () => {
    const logger = captureLogger();
    const config = await loadConfig({ env: { COGNITO_DOMAIN: 'http://auth.example.com', COGNITO_CLIENT_ID: 'c', COGNITO_INSECURE_ALLOW_HTTP: '1' }, cwd: dir(), logger });
    expect(config.idp.allowInsecureHttp).toBe(true);
    expect(logger.warnings.join('\n')).toMatch(/INSECURE.*http:\/\/auth\.example\.com/);
  });

  test('COGNITO_LOGIN_UI=custom needs a selector profile', async () => {
    const e = await problems({ env: { COGNITO_DOMAIN: DOMAIN, COGNITO_CLIENT_ID: 'c', COGNITO_LOGIN_UI: 'custom' } });
    expect(e.details.COGNITO_LOGIN_UI).toMatch(/COGNITO_SELECTOR_PROFILE/);
  });

  test('a selector profile is read inline or from a file and implies the custom UI', async () => {
    const inline = await load({ env: { COGNITO_DOMAIN: DOMAIN, COGNITO_CLIENT_ID: 'c', COGNITO_SELECTOR_PROFILE: '{"username":"#u","password":"#p","submit":"#go"}' } });
    expect(inline.idp.loginUi).toBe('custom');
    expect(inline.idp.selectorProfile).toEqual({ name: 'custom', username: '#u', password: '#p', submit: '#go' });
    const cwd = dir();
    writeFileSync(join(cwd, 'profile.json'), JSON.stringify({ name: 'oidc-provider', username: '[name=login]', password: '[name=password]', submit: 'button[type=submit]', consent: 'button.consent' }));
    const fromFile = await loadConfig({ cwd, env: { COGNITO_DOMAIN: DOMAIN, COGNITO_CLIENT_ID: 'c', COGNITO_SELECTOR_PROFILE: 'profile.json' }, logger: captureLogger() });
    expect(fromFile.idp.selectorProfile?.consent).toBe('button.consent');
    const bad = await problems({ env: { COGNITO_DOMAIN: DOMAIN, COGNITO_CLIENT_ID: 'c', COGNITO_SELECTOR_PROFILE: '{"username":"#u"}' } });
    expect(bad.details.COGNITO_SELECTOR_PROFILE).toMatch(/field "password" is required; field "submit" is required/);
  });

  test('a selector profile with a misspelt field is refused naming it, not silently used without it', async () => {
    const e = await problems({ env: { COGNITO_DOMAIN: DOMAIN, COGNITO_CLIENT_ID: 'c', COGNITO_SELECTOR_PROFILE: '{"username":"#u","password":"#p","submit":"#go","otpp":"#o"}' } });
    expect(e.exitCode).toBe(2);
    expect(e.details.COGNITO_SELECTOR_PROFILE).toContain('unknown field(s) "otpp"');
  });

  test('secrets are registered for redaction as soon as they are read, even when the config is invalid', async () => {
    await problems({ env: { COGNITO_CLIENT_SECRET: 'client-secret-xyz', TEST_USER_PASSWORD: 'pw-abc-123' } });
    expect(redact('client-secret-xyz pw-abc-123')).toBe(`${REDACTED} ${REDACTED}`);
  });

  test('a Secrets Manager failure that is not a configuration problem keeps its own exit code', async () => {
    const down = new CnError('SECRETS_MANAGER_UNAVAILABLE', ExitCode.IdpFailure, 'AWS is unreachable.');
    const err = await load({ env: { COGNITO_DOMAIN: DOMAIN, COGNITO_CLIENT_ID: 'c', TEST_USER_SECRET_ID: 'x' }, resolveSecret: () => Promise.reject(down) }).catch((e: unknown) => e);
    expect(err).toBe(down);
  });

  test('a secret id without Secrets Manager support is a problem', async () => {
    const e = await problems({ env: { COGNITO_DOMAIN: DOMAIN, COGNITO_CLIENT_ID: 'c', TEST_USER_SECRET_ID: 'x' } });
    expect(e.details.TEST_USER_SECRET_ID).toMatch(/Secrets Manager/);
  });
});

test.describe('derived values', () => {
  test('endpoints, issuer, JWKS and defaults come from the domain and the pool id', async () => {
    const config = await load({ env: { COGNITO_DOMAIN: DOMAIN, COGNITO_CLIENT_ID: 'c', COGNITO_USER_POOL_ID: 'eu-west-1_AbC123' } });
    expect(config.idp).toMatchObject({
      domain: DOMAIN,
      endpoints: {
        authorize: `${DOMAIN}/oauth2/authorize`,
        login: `${DOMAIN}/login`,
        token: `${DOMAIN}/oauth2/token`,
        revoke: `${DOMAIN}/oauth2/revoke`,
        userInfo: `${DOMAIN}/oauth2/userInfo`,
        logout: `${DOMAIN}/logout`,
      },
      authStart: 'authorize',
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123',
      jwksUri: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/.well-known/jwks.json',
      region: 'eu-west-1',
      redirectUri: 'https://oauth.pstmn.io/v1/callback',
      scopes: ['openid', 'email', 'profile'],
      responseType: 'code',
      loginUi: 'auto',
      clientAuth: 'body',
    });
    expect(config.concurrency).toBe(4);
    expect(config.timeouts).toEqual({ loginMs: 30000, tokenDeadlineMs: 20000, requestMs: 10000, apiRequestMs: 60000 });
  });

  test('COGNITO_ISSUER overrides the derived issuer (the emulator prints its own)', async () => {
    const config = await load({ env: { COGNITO_DOMAIN: 'http://127.0.0.1:4000', COGNITO_CLIENT_ID: 'c', COGNITO_USER_POOL_ID: 'us-east-1_DemoPool1', COGNITO_ISSUER: 'http://127.0.0.1:4000/us-east-1_DemoPool1/' } });
    expect(config.idp.issuer).toBe('http://127.0.0.1:4000/us-east-1_DemoPool1');
    expect(config.idp.jwksUri).toBe('http://127.0.0.1:4000/us-east-1_DemoPool1/.well-known/jwks.json');
  });

  test("Postman's <domain>/login auth URL starts the sign-in at /login; the domain comes from it", async () => {
    const config = await load({ collectionAuth: { COGNITO_AUTH_URL: `${DOMAIN}/login`, COGNITO_TOKEN_URL: `${DOMAIN}/oauth2/token`, COGNITO_CLIENT_ID: 'c', COGNITO_CLIENT_AUTH: 'body' } });
    expect(config.idp.authStart).toBe('login');
    expect(config.idp.endpoints.login).toBe(`${DOMAIN}/login`);
    expect(config.idp.endpoints.authorize).toBe(`${DOMAIN}/oauth2/authorize`);
    expect(config.idp.domain).toBe(DOMAIN);
  });

  test('a client secret defaults the client auth to basic; COGNITO_CLIENT_AUTH overrides it', async () => {
    expect((await load({ env: { COGNITO_DOMAIN: DOMAIN, COGNITO_CLIENT_ID: 'c', COGNITO_CLIENT_SECRET: 'shh-secret' } })).idp.clientAuth).toBe('basic');
    expect((await load({ env: { COGNITO_DOMAIN: DOMAIN, COGNITO_CLIENT_ID: 'c', COGNITO_CLIENT_SECRET: 'shh-secret', COGNITO_CLIENT_AUTH: 'body' } })).idp.clientAuth).toBe('body');
  });

  test('a domain with a path is refused with advice', async () => {
    const e = await problems({ env: { COGNITO_DOMAIN: `${DOMAIN}/login`, COGNITO_CLIENT_ID: 'c' } });
    expect(e.details.COGNITO_DOMAIN).toMatch(/COGNITO_AUTH_URL/);
  });
});

test.describe('domain and pool id parsing', () => {
  test('a prefix domain yields prefix and region', () => {
    expect(parseDomain('https://my-app.auth.eu-west-1.amazoncognito.com')).toEqual({ origin: DOMAIN, prefix: 'my-app', region: 'eu-west-1', custom: false });
  });

  test('anything else is a custom domain', () => {
    expect(parseDomain('https://auth.example.com/')).toEqual({ origin: 'https://auth.example.com', custom: true });
  });

  test('a pool id yields its region; a malformed one is CONFIG_INVALID', () => {
    expect(parsePoolId('us-gov-west-1_AbC123')).toEqual({ region: 'us-gov-west-1', id: 'us-gov-west-1_AbC123' });
    expect(() => parsePoolId('AbC123')).toThrow(CnError);
    expect(cognitoIssuer('us-east-1_DemoPool1')).toBe('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_DemoPool1');
  });
});

test.describe('users from the environment', () => {
  test('default and named users, names lower-cased', () => {
    const { users, problems: p } = usersFromEnv({
      TEST_USER_USERNAME: 'alice',
      TEST_USER_PASSWORD: 'pw-alice-1',
      TEST_USERS: 'Admin, read-only',
      TEST_USER_ADMIN_USERNAME: 'root',
      TEST_USER_ADMIN_PASSWORD: 'pw-root-1',
      TEST_USER_ADMIN_TOTP_SECRET: 'JBSWY3DPEHPK3PXP',
      TEST_USER_READ_ONLY_USERNAME: 'bob',
      TEST_USER_READ_ONLY_PASSWORD: 'pw-bob-1',
    });
    expect(p).toEqual([]);
    expect(users).toEqual([
      { name: 'default', username: 'alice', password: 'pw-alice-1' },
      { name: 'admin', username: 'root', password: 'pw-root-1', totpSecret: 'JBSWY3DPEHPK3PXP' },
      { name: 'read-only', username: 'bob', password: 'pw-bob-1' },
    ]);
  });

  test('a listed user without credentials, a duplicate and a bad name are each reported', () => {
    const { users, problems: p } = usersFromEnv({ TEST_USERS: 'admin,admin,9lives', TEST_USER_ADMIN_USERNAME: 'root' });
    expect(users).toEqual([]);
    expect(p).toHaveLength(3);
    expect(p[0]).toMatch(/^TEST_USER_ADMIN_PASSWORD: /);
    expect(p[1]).toMatch(/listed twice/);
    expect(p[2]).toMatch(/"9lives" is not a valid user name/);
  });

  test('no default user is fine (client credentials needs none)', () => {
    expect(usersFromEnv({})).toEqual({ users: [], problems: [] });
  });
});
