// `cognito-newman token` for a Google-federated user: refused as a configuration error with the
// reason, before any browser starts (the browser path points nowhere: a launch would be exit 5).
import { test, expect } from '@playwright/test';
import { runCli, describe } from '../fixtures/cli.js';

test('COGNITO_IDENTITY_PROVIDER=Google is exit 2 with the reason, and no browser is started', async () => {
  const r = await runCli(['token'], {
    env: {
      COGNITO_DOMAIN: 'https://my-app.auth.eu-west-1.amazoncognito.com',
      COGNITO_CLIENT_ID: 'client123',
      COGNITO_IDENTITY_PROVIDER: 'Google',
      COGNITO_IDP_LOGIN_UI: 'oidc-provider',
      TEST_USER_USERNAME: 'someone@gmail.example',
      TEST_USER_PASSWORD: 'Google-Passw0rd!',
      COGNITO_NEWMAN_BROWSER: '/nonexistent/chromium',
    },
  });
  expect(r.code, describe(r)).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('COGNITO_IDENTITY_PROVIDER: Google refuses to sign in automated browsers');
  expect(r.stderr).toContain('This browser or app may not be secure');
  expect(r.stderr).not.toContain('Google-Passw0rd!');
  expect(r.stderr).not.toContain('/nonexistent/chromium');
  // One paragraph, nothing after it (a started sign-in would log its progress).
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
});
