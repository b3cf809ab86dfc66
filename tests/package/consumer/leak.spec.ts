// Consumer spec for the leak test: a failing request's error and an attachment made from it, with
// tracing on. The harness then searches every trace, report and attachment for the issued tokens.
import { test, expect } from 'cognito-newman/playwright';

test.use({ cognitoUser: 'admin' });

test('a request that fails: its error (and an attachment of it) carries no token', async ({ cognitoRequest }, testInfo) => {
  const error = await cognitoRequest.get('http://127.0.0.1:9/unreachable', { timeout: 5000 }).then(
    () => undefined,
    (err: unknown) => err as Error,
  );
  expect(error).toBeDefined();
  await testInfo.attach('request-error', { body: `${error!.message}\n${error!.stack}`, contentType: 'text/plain' });
  expect(error!.message).toContain('ECONNREFUSED');
});

test("Playwright's own request fixture is traced as usual beside it", async ({ request, cognitoRequest }) => {
  expect((await request.get('/health')).status()).toBe(200);
  expect((await cognitoRequest.get('/me')).status()).toBe(200);
});
