// The Playwright Test fixture against the demo API: each test gets a signed-in user's tokens and a
// request context that sends them. The users come from the same configuration as the CLI (.env or
// the environment: COGNITO_DOMAIN, COGNITO_CLIENT_ID, TEST_USERS=admin,reader, TEST_USER_ADMIN_*, ...).
import { test, expect } from 'cognito-newman/playwright';

test.describe('as admin', () => {
  test.use({ cognitoUser: 'admin' });

  test('the admin reads the admin reports', async ({ cognitoRequest }) => {
    const res = await cognitoRequest.get('/admin/reports');
    expect(res.status()).toBe(200);
  });

  test('the tokens are the admin user’s, and fresh', async ({ cognitoRequest, cognitoTokens }) => {
    const me = (await (await cognitoRequest.get('/me')).json()) as { username: string; groups: string[] };
    expect(me.username).toBe('admin');
    expect(me.groups).toContain('admin');
    expect(cognitoTokens.user).toBe('admin');
    expect(cognitoTokens.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });
});

test.describe('as reader', () => {
  test.use({ cognitoUser: 'reader' });

  test('the reader may not read the admin reports', async ({ cognitoRequest }) => {
    expect((await cognitoRequest.get('/admin/reports')).status()).toBe(403);
  });

  test.describe('with the ID token', () => {
    // API Gateway's Cognito authorizer wants the ID token unless the method has OAuth scopes.
    test.use({ cognitoAuthToken: 'id' });

    test('the API sees an ID token', async ({ cognitoRequest }) => {
      const me = (await (await cognitoRequest.get('/me')).json()) as { username: string; token_use: string };
      expect(me).toMatchObject({ username: 'reader', token_use: 'id' });
    });
  });
});

test('without a token the API answers 401', async ({ request }) => {
  expect((await request.get('/me')).status()).toBe(401);
});
