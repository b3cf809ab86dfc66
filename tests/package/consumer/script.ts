// A consumer's Node script (compiled by the consumer's own tsc, nodenext + strict): the emulator,
// getTokens against it (and a rejected sign-in), then getTokens and runCollection against the
// harness's emulator and demo API. Prints one JSON line of what it saw.
import { getTokens, runCollection, CnError, type CognitoTokensByUser, type RunCollectionResult } from 'cognito-newman';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from 'cognito-newman/emulator';

const options: EmulatorOptions = { port: 0 };
const emu: RunningEmulator = await startEmulator(options);
const settings = {
  COGNITO_DOMAIN: emu.baseUrl,
  COGNITO_CLIENT_ID: 'demo-public-client',
  COGNITO_USER_POOL_ID: emu.poolId,
  COGNITO_ISSUER: emu.issuer,
  TEST_USERS: 'admin,reader',
  TEST_USER_ADMIN_USERNAME: 'admin',
  TEST_USER_ADMIN_PASSWORD: 'Admin-Passw0rd!',
  TEST_USER_READER_USERNAME: 'reader',
  TEST_USER_READER_PASSWORD: 'Reader-Passw0rd!',
};
const own: CognitoTokensByUser = await getTokens({ settings, cache: false, users: ['admin', 'reader'], env: {} });

let rejected: { name: string; code: string; exitCode: number; hint: string | undefined; text: string } | undefined;
try {
  await getTokens({ settings: { ...settings, TEST_USER_ADMIN_PASSWORD: 'Wrong-Passw0rd-7781!' }, cache: false, users: 'admin', env: {} });
} catch (err) {
  if (err instanceof CnError) rejected = { name: err.name, code: err.code, exitCode: err.exitCode, hint: err.hint, text: `${err.message} ${err.hint} ${String(err.cause)} ${err.stack}` };
}
await emu.stop();

// The harness's emulator and demo API, configured through the environment as a .env would.
const harness = await getTokens();
const result: RunCollectionResult = await runCollection(process.env.DEMO_COLLECTION!, {
  tokens: harness,
  envVar: { baseUrl: process.env.DEMO_API_URL! },
  reporters: ['junit'],
  reportsDir: 'reports/script',
});

process.stdout.write(
  JSON.stringify({
    own: Object.fromEntries(Object.entries(own).map(([k, t]) => [k, { user: t.user, jwt: t.accessToken.split('.').length, id: !!t.idToken, refresh: !!t.refreshToken, expiresInS: Math.round((t.expiresAt.getTime() - Date.now()) / 1000) }])),
    rejected,
    harnessUsers: Object.keys(harness),
    run: { exitCode: result.exitCode, passed: result.summary.passed },
  }) + '\n',
);
