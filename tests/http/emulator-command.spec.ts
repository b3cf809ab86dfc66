// runEmulatorCommand: starts from flags, prints the env lines, users and clients to the logger and
// one JSON line to stdout; bad flags and configs are exit-2 errors; a busy port is exit 5.
import { Writable } from 'node:stream';
import { test, expect } from '@playwright/test';
import { EmulatorError } from '../../packages/emulator/errors.js';
import type { Logger } from '../../src/log.js';
import { runEmulatorCommand, type EmulatorCommandOptions } from '../../packages/emulator/src/command.js';

function capture(): { logger: Logger; lines: string[]; out: Writable; stdout: () => string } {
  const lines: string[] = [];
  let stdout = '';
  const logger: Logger = { level: 'info', info: (m) => lines.push(m), warn: (m) => lines.push(`warning: ${m}`), debug: () => {} };
  const out = new Writable({
    write(chunk, _enc, cb) {
      stdout += String(chunk);
      cb();
    },
  });
  return { logger, lines, out, stdout: () => stdout };
}

test('the command prints a JSON line on stdout and the .env lines, clients and users on the logger', async () => {
  const c = capture();
  const emu = await runEmulatorCommand({ port: 0, faults: ['token:429x1'] }, c.logger, c.out);
  try {
    const info = JSON.parse(c.stdout().trim()) as Record<string, string>;
    expect(info).toEqual({ baseUrl: emu.baseUrl, issuer: emu.issuer, poolId: 'us-east-1_DemoPool1', region: 'us-east-1' });
    const text = c.lines.join('\n');
    expect(text).toContain(`COGNITO_DOMAIN=${emu.baseUrl}`);
    expect(text).toContain('COGNITO_CLIENT_ID=demo-public-client');
    expect(text).toContain(`COGNITO_ISSUER=${emu.issuer}`);
    expect(text).toContain('TEST_USER_USERNAME=admin');
    expect(text).toContain('TEST_USER_PASSWORD=Admin-Passw0rd!');
    expect(text).toContain('mfa-user');
    expect(text).toContain('next 1 token response(s) fail with 429');
    expect(emu.faults.pending('token')).toBe(1);
  } finally {
    await emu.stop();
  }
});

test('with a custom config the command does not print its passwords or secrets', async () => {
  const c = capture();
  const emu = await runEmulatorCommand({ port: 0, configPath: 'examples/emulator/my-pool.json', ui: 'managed' }, c.logger, c.out);
  try {
    const text = c.lines.join('\n');
    expect(text).toContain('Managed Login');
    expect(text).toContain('alice');
    expect(text).not.toContain('Alice-Passw0rd!');
    expect(text).not.toContain('change-me-batch-secret');
  } finally {
    await emu.stop();
  }
});

for (const [what, opts, code] of ([
  ['a bad port', { port: 70000 }, 'EMULATOR_BAD_PORT'],
  ['a bad ui', { port: 0, ui: 'fancy' as never }, 'EMULATOR_BAD_UI'],
  ['username-first on classic', { port: 0, usernameFirst: true }, 'EMULATOR_BAD_UI'],
  ['a bad fault flag', { port: 0, faults: ['token:418x1'] }, 'EMULATOR_BAD_FAULT'],
  ['a missing config file', { port: 0, configPath: 'no/such/pool.json' }, 'EMULATOR_CONFIG_UNREADABLE'],
  ['a hydration delay that is not a number of ms', { port: 0, ui: 'managed', managed: { hydrationDelay: 'soon' } }, 'EMULATOR_BAD_FLAG'],
  ['a corporate form order other than before/after', { port: 0, ui: 'managed', managed: { corporateForm: 'middle' } }, 'EMULATOR_BAD_FLAG'],
  ['a texts file with an unknown field', { port: 0, ui: 'managed', managed: { textsPath: 'package.json' } }, 'EMULATOR_BAD_TEXTS'],
] as [string, EmulatorCommandOptions, string][])) {
  test(`the command refuses ${what} with exit 2`, async () => {
    const c = capture();
    await expect(runEmulatorCommand(opts, c.logger, c.out)).rejects.toMatchObject({ code, exitCode: 2 });
    expect(c.stdout()).toBe('');
  });
}

test('a port in use is a local-environment error (exit 5)', async () => {
  const c = capture();
  const first = await runEmulatorCommand({ port: 0 }, c.logger, c.out);
  try {
    const port = Number(new URL(first.baseUrl).port);
    const err = await runEmulatorCommand({ port }, c.logger, c.out).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmulatorError);
    expect(err).toMatchObject({ code: 'EMULATOR_PORT_UNAVAILABLE', exitCode: 5 });
  } finally {
    await first.stop();
  }
});
