// `cognito-newman emulator`: load the pool, start, and tell the user what to paste (.env lines,
// users, clients). Human text goes to the logger (stderr); one JSON line goes to stdout for scripts.
import { localFailure, usageError } from '../errors.js';
import type { Logger } from '../log.js';
import { loadPoolConfigFile, type ResolvedPoolConfig } from './config.js';
import { DEFAULT_POOL } from './default-pool.js';
import { parseFaultFlags, type FaultOptions } from './faults.js';
import { describeIdentityProviders } from './federation/describe.js';
import { startEmulator, type RunningEmulator } from './index.js';
import { parseManagedFlags } from './managed-login/flags.js';
import { loadMessageSinksFile } from './messages/sinks-config.js';

export { parseFaultFlag, parseFaultFlags } from './faults.js';

export interface EmulatorCommandOptions {
  port: number;
  host?: string;
  configPath?: string;
  ui?: 'classic' | 'managed';
  usernameFirst?: boolean;
  /** Fault flags: `latency:token=200`, `token:429x2`, `token:503x1,retry-after=3`, `slow-login=800`. */
  faults?: string[];
  /** `--message-sinks <file>`: JSON `{email?, sms?}` sinks (see messages/sinks.ts). */
  messageSinksPath?: string;
  passkeyCounter?: 'strict' | 'ignore';
  /** Managed Login knobs as given on the command line (validated here). */
  managed?: { hydrationDelay?: string; stepDelay?: string; corporateForm?: string; textsPath?: string };
}

function describeFaults(f: FaultOptions): string[] {
  const out: string[] = [];
  for (const [ep, ms] of Object.entries(f.latency ?? {})) out.push(`${ms} ms latency on ${ep}`);
  for (const [ep, rules] of Object.entries(f.failures ?? {})) for (const r of rules ?? []) out.push(`next ${r.count} ${ep} response(s) fail with ${r.status}`);
  if (f.slowLoginPageMs) out.push(`login pages answer ${f.slowLoginPageMs} ms late`);
  return out;
}

/** The text a user needs to point cognito-newman (or Postman) at this emulator. */
export function describeEmulator(emu: RunningEmulator, showSecrets: boolean): string[] {
  const pool = emu.config;
  const lines: string[] = [];
  lines.push(`Cognito emulator (${emu.ui === 'managed' ? 'Managed Login' : 'classic Hosted UI'}) listening on ${emu.baseUrl}`);
  lines.push(`  issuer: ${emu.issuer}`);
  lines.push(`  pool:   ${emu.poolId} (${emu.region})`);
  const userClient = pool.UserPoolClients.find((c) => c.AllowedOAuthFlows.includes('code'));
  const firstUser = pool.Users.find((u) => u.Enabled && u.UserStatus === 'CONFIRMED' && !u.TotpSecret && u.Password !== undefined);
  lines.push('', 'Paste into .env:');
  lines.push(`  COGNITO_DOMAIN=${emu.baseUrl}`);
  if (userClient) {
    lines.push(`  COGNITO_CLIENT_ID=${userClient.ClientId}`);
    if (userClient.ClientSecret) lines.push(`  COGNITO_CLIENT_SECRET=${showSecrets ? userClient.ClientSecret : '<ClientSecret from your config>'}`);
    const cb = userClient.CallbackURLs.find((u) => !u.includes(':*'));
    if (cb) lines.push(`  COGNITO_REDIRECT_URI=${cb}`);
  }
  lines.push(`  COGNITO_USER_POOL_ID=${emu.poolId}`, `  COGNITO_ISSUER=${emu.issuer}`, `  COGNITO_LOGIN_UI=${emu.ui}`);
  if (firstUser) {
    lines.push(`  TEST_USER_USERNAME=${firstUser.Username}`);
    lines.push(`  TEST_USER_PASSWORD=${showSecrets ? firstUser.Password : '<Password from your config>'}`);
  }
  lines.push('', 'Clients:');
  for (const c of pool.UserPoolClients) {
    const secret = c.ClientSecret ? (showSecrets ? `secret ${c.ClientSecret}` : 'with secret') : 'public';
    lines.push(`  ${c.ClientId} (${secret}; flows ${c.AllowedOAuthFlows.join(', ') || 'none'}; scopes ${c.AllowedOAuthScopes.join(' ') || 'none'})`);
  }
  lines.push('', 'Users:');
  for (const u of pool.Users) {
    const notes = [
      u.UserStatus !== 'CONFIRMED' ? u.UserStatus : '',
      u.Enabled ? '' : 'disabled',
      u.TotpSecret ? (showSecrets ? `TOTP secret ${u.TotpSecret}` : 'TOTP MFA') : '',
      u.EmailMfaSettings?.Enabled || u.UserMFASettingList?.includes('EMAIL_OTP') ? 'email MFA' : '',
      u.Passkeys.length ? `${u.Passkeys.length} passkey${u.Passkeys.length > 1 ? 's' : ''}` : '',
      u.Groups.length ? `groups ${u.Groups.join(', ')}` : '',
    ].filter(Boolean);
    const pw = u.Password === undefined ? 'no password' : showSecrets ? `password ${u.Password}` : 'password set';
    lines.push(`  ${u.Username} (${[pw, ...notes].join('; ')})`);
  }
  lines.push(...describeIdentityProviders(emu, showSecrets));
  return lines;
}

/** Validate options, load the config, start the emulator and print how to use it. */
export async function runEmulatorCommand(opts: EmulatorCommandOptions, logger: Logger, out: NodeJS.WritableStream = process.stdout): Promise<RunningEmulator> {
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    throw usageError('EMULATOR_BAD_PORT', `--port must be a whole number from 0 to 65535, not ${String(opts.port)}.`, { hint: 'Use for example --port 9977 (0 picks a free port).' });
  }
  if (opts.ui !== undefined && opts.ui !== 'classic' && opts.ui !== 'managed') {
    throw usageError('EMULATOR_BAD_UI', `--ui must be classic or managed, not "${String(opts.ui)}".`, { hint: 'Use --ui classic (default) or --ui managed.' });
  }
  if (opts.usernameFirst && opts.ui !== 'managed') {
    throw usageError('EMULATOR_BAD_UI', 'The username-first step exists only on Managed Login.', { hint: 'Add --ui managed, or drop the username-first option.' });
  }
  const faults = parseFaultFlags(opts.faults ?? []);
  const managedLogin = await parseManagedFlags(opts.managed ?? {});
  const config: ResolvedPoolConfig | undefined = opts.configPath ? await loadPoolConfigFile(opts.configPath) : undefined;
  const messageSinks = opts.messageSinksPath ? await loadMessageSinksFile(opts.messageSinksPath) : undefined;
  let emu: RunningEmulator;
  try {
    emu = await startEmulator({
      port: opts.port,
      ...(opts.host !== undefined ? { host: opts.host } : {}),
      ...(config ? { config } : {}),
      ...(opts.ui ? { ui: opts.ui } : {}),
      ...(opts.usernameFirst ? { usernameFirst: true } : {}),
      managedLogin,
      faults,
      logger,
      ...(messageSinks ? { messageSinks } : {}),
      ...(opts.passkeyCounter ? { behaviour: { passkeyCounter: opts.passkeyCounter } } : {}),
    });
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw localFailure('EMULATOR_PORT_UNAVAILABLE', `The emulator cannot listen on ${opts.host ?? '127.0.0.1'}:${opts.port} (${code}).`, {
        hint: code === 'EADDRINUSE' ? 'Another process uses that port: pick another --port, or 0 for a free one.' : 'Pick another --port or --host.',
        cause,
      });
    }
    throw cause;
  }
  // The default pool's passwords are published test values; a user's own config keeps its secrets.
  for (const line of describeEmulator(emu, !opts.configPath || config === undefined || JSON.stringify(config) === JSON.stringify(DEFAULT_POOL))) logger.info(line);
  const faultLines = describeFaults(faults);
  if (faultLines.length) logger.info(`\nFaults: ${faultLines.join('; ')}`);
  logger.info('\nStop with Ctrl+C.');
  out.write(`${JSON.stringify({ baseUrl: emu.baseUrl, issuer: emu.issuer, poolId: emu.poolId, region: emu.region })}\n`);
  return emu;
}
