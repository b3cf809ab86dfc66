// For the sample run in this repository: the Cognito emulator and the demo API on free loopback
// ports, and the configuration the fixture reads (the same variables as the CLI's .env).
import { startEmulator, DEFAULT_POOL } from 'cognito-newman-emulator';
import { startDemoApi } from 'cognito-newman-emulator/demo-api';

export default async function globalSetup(): Promise<(() => Promise<void>) | void> {
  if (process.env.DEMO_API_URL) return;
  const emulator = await startEmulator({ port: 0 });
  const api = await startDemoApi({ port: 0, issuer: emulator.issuer, clientIds: ['demo-public-client'] });
  const password = (u: string) => String(DEFAULT_POOL.Users?.find((x) => x.Username === u)?.Password);
  Object.assign(process.env, {
    COGNITO_DOMAIN: emulator.baseUrl,
    COGNITO_CLIENT_ID: 'demo-public-client',
    COGNITO_USER_POOL_ID: emulator.poolId,
    COGNITO_ISSUER: emulator.issuer,
    TEST_USERS: 'admin,reader',
    TEST_USER_ADMIN_USERNAME: 'admin',
    TEST_USER_ADMIN_PASSWORD: password('admin'),
    TEST_USER_READER_USERNAME: 'reader',
    TEST_USER_READER_PASSWORD: password('reader'),
    DEMO_API_URL: api.baseUrl,
  });
  // Workers start after this, inherit the environment, and load the config again: baseURL follows.
  return async () => {
    await api.stop();
    await emulator.stop();
  };
}
