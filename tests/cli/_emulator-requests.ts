// What the emulator was asked, counted from its debug log (`emulator: POST /oauth2/token
// (refresh_token) -> 200`): the proof that a CLI run signed in through the Hosted UI, refreshed, or
// neither. Also the environment that points the built CLI at an emulator.
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../packages/emulator/src/index.js';
import type { Logger } from '../../src/log.js';

export interface RequestLog {
  logger: Logger;
  lines: string[];
  /** Requests answered with `method path` (and, for /oauth2/token, this grant type). */
  count(method: string, path: string, grantType?: string): number;
}

const LINE = /^emulator: (\S+) (\S+)(?: \(([^)]+)\))? -> (\d+)/;

export function requestLog(): RequestLog {
  const lines: string[] = [];
  return {
    lines,
    logger: { level: 'debug', info: () => undefined, warn: (m) => void lines.push(`warn: ${m}`), debug: (m) => void lines.push(m) },
    count(method, path, grantType) {
      return lines.filter((l) => {
        const m = LINE.exec(l);
        return !!m && m[1] === method && m[2] === path && (grantType === undefined || m[3] === grantType);
      }).length;
    },
  };
}

export async function startCountingEmulator(options: EmulatorOptions = {}): Promise<{ emulator: RunningEmulator; log: RequestLog }> {
  const log = requestLog();
  const emulator = await startEmulator({ port: 0, ...options, logger: log.logger });
  return { emulator, log };
}

/** Browser sign-ins the emulator saw: each one fetches the Hosted UI's /login page. */
export const signIns = (log: RequestLog): number => log.count('GET', '/login');
export const refreshGrants = (log: RequestLog): number => log.count('POST', '/oauth2/token', 'refresh_token');
export const codeExchanges = (log: RequestLog): number => log.count('POST', '/oauth2/token', 'authorization_code');

/** The CLI's configuration for the emulator's public client (what `cognito-newman emulator` prints). */
export function emulatorEnv(emulator: RunningEmulator): Record<string, string> {
  return {
    COGNITO_DOMAIN: emulator.baseUrl,
    COGNITO_CLIENT_ID: 'demo-public-client',
    COGNITO_USER_POOL_ID: emulator.poolId,
    COGNITO_ISSUER: emulator.issuer,
  };
}
