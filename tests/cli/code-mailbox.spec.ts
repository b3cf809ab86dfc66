// The mailbox path end to end, through the built CLI: the emulator emails an MFA code over SMTP to
// a loopback mail server (smtp-server, delivering into a real Dovecot by IMAP APPEND as an MTA's
// local delivery would), and `token` reads it from the IMAP mailbox with its password. The code,
// the password of the user and the mailbox password appear nowhere: stdout (tokens only),
// stderr, or the files the run wrote.
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { test, expect } from '../fixtures/dovecot.js';
import { runCli, describe } from '../fixtures/cli.js';
import { startEmulator } from '../../packages/emulator/src/index.js';
import { DEFAULT_POOL } from '../../packages/emulator/src/default-pool.js';
import type { PoolConfig } from '../../packages/emulator/src/config.js';
import { filesUnder } from '../fixtures/files.js';


test('an email MFA code delivered by SMTP is read from the IMAP mailbox; no secret leaks', async ({ dovecot }) => {
  test.setTimeout(60_000);
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => void dovecot.deliver(Buffer.concat(chunks).toString('utf8')).then(() => callback(), callback));
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const pool = {
    ...DEFAULT_POOL,
    Users: [
      ...(DEFAULT_POOL.Users ?? []),
      { Username: 'imap-user', Password: 'Imap-User-Passw0rd!', EmailMfaSettings: { Enabled: true, PreferredMfa: true }, Attributes: [{ Name: 'email', Value: dovecot.user }, { Name: 'email_verified', Value: 'true' }] },
    ],
  } as PoolConfig;
  const emu = await startEmulator({ port: 0, config: pool, ui: 'managed', messageSinks: { email: { type: 'smtp', host: '127.0.0.1', port: smtpPort } } });
  const work = mkdtempSync(join(tmpdir(), 'cn-imap-cli-'));
  try {
    const r = await runCli(['token', '--format', 'json', '--no-cache'], {
      cwd: work,
      env: {
        COGNITO_DOMAIN: emu.baseUrl,
        COGNITO_CLIENT_ID: 'demo-public-client',
        COGNITO_USER_POOL_ID: emu.poolId,
        COGNITO_ISSUER: emu.issuer,
        TEST_USER_USERNAME: 'imap-user',
        TEST_USER_PASSWORD: 'Imap-User-Passw0rd!',
        TEST_USER_CODE_SOURCE: `imap://${encodeURIComponent(dovecot.user)}@127.0.0.1:${dovecot.port}/INBOX`,
        TEST_USER_CODE_SOURCE_PASSWORD: dovecot.password,
        TEST_USER_CODE_ADDRESS: dovecot.user,
        COGNITO_NEWMAN_ARTIFACTS_DIR: join(work, 'artifacts'),
      },
    });
    expect(r.code, describe(r)).toBe(0);
    expect(JSON.parse(r.stdout)).toBeTruthy();
    const codes = emu.observed.messages.map((m) => /\d{6,8}/.exec(m.text)![0]);
    expect(codes).toHaveLength(1);
    const secrets = [...codes, 'Imap-User-Passw0rd!', dovecot.password];
    for (const s of secrets) {
      expect(r.stdout).not.toContain(s);
      expect(r.stderr).not.toContain(s);
    }
    for (const f of filesUnder(work)) for (const s of secrets) expect(readFileSync(f, 'latin1'), f).not.toContain(s);
  } finally {
    await emu.stop();
    await new Promise<void>((r) => smtp.close(() => r()));
  }
});
