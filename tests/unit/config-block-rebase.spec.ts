// A domain configured above the collection's OAuth 2.0 block wins over the block's URLs' host.
import { test, expect } from '@playwright/test';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';

const block = {
  COGNITO_AUTH_URL: 'https://old.auth.us-east-1.amazoncognito.com/login',
  COGNITO_TOKEN_URL: 'https://old.auth.us-east-1.amazoncognito.com/oauth2/token',
  COGNITO_CLIENT_ID: 'from-block',
};
const user = { TEST_USER_USERNAME: 'u', TEST_USER_PASSWORD: 'p-long-enough' };

test('the configured domain replaces the block host and keeps its /login start', async () => {
  const c = await loadConfig({ envFile: false, logger: silentLogger, collectionAuth: block, env: { ...user, COGNITO_DOMAIN: 'https://new.auth.eu-west-1.amazoncognito.com' } });
  expect(c.idp.endpoints.token).toBe('https://new.auth.eu-west-1.amazoncognito.com/oauth2/token');
  expect(c.idp.authStart).toBe('login');
  expect(c.idp.endpoints.login).toBe('https://new.auth.eu-west-1.amazoncognito.com/login');
});

test('without a configured domain the block URLs are used as they are', async () => {
  const c = await loadConfig({ envFile: false, logger: silentLogger, collectionAuth: block, env: user });
  expect(c.idp.endpoints.token).toBe('https://old.auth.us-east-1.amazoncognito.com/oauth2/token');
  expect(c.idp.clientId).toBe('from-block');
});
