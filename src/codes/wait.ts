// Waiting for a one-time code: poll the user's source with capped backoff until a message addressed
// to the user arrives (after the baseline the sign-in took before asking), take the code out of it,
// and hand it over. Bounded: a code that never comes is exit 4 naming the source and the wait. The
// code is registered as a secret the moment it is read; no message body is ever logged.
import type { CodeSource } from '../config/factors.js';
import { CnError, ExitCode, idpFailure, usageError } from '../errors.js';
import { registerSecret, type Logger } from '../log.js';
import { addressedTo, extractCode } from './extract.js';
import { openReader, SourceError, type CodeReader, type ReaderContext } from './reader.js';

export interface CodeWaiter {
  /** Wait (at most `timeoutMs`) for a fresh code for the user; throws CnError exit 4 / 2. */
  next(timeoutMs: number, signal?: AbortSignal): Promise<string>;
  close(): Promise<void>;
}

export interface CodeWaiterInput {
  source: CodeSource;
  /** Who the message must be addressed to (email or phone); undefined accepts any recipient. */
  address: string | undefined;
  username: string;
  /** How the user is named in messages (`user alice@example.com`). */
  who: string;
  /** The variable naming the source (TEST_USER_CODE_SOURCE or TEST_USER_<NAME>_CODE_SOURCE). */
  variable: string;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  requestTimeoutMs?: number;
  /** Backoff: first delay, factor, cap (ms). */
  backoff?: { initialMs: number; factor: number; maxMs: number };
}

const DEFAULT_BACKOFF = { initialMs: 250, factor: 1.6, maxMs: 2_000 };

/** A source problem as the contract's error: credentials and missing buckets are configuration (2). */
export function sourceFailure(e: SourceError, input: Pick<CodeWaiterInput, 'variable' | 'who'>): CnError {
  const make = e.fatal ? usageError : idpFailure;
  return make(e.fatal ? 'CODE_SOURCE_REJECTED' : 'CODE_SOURCE_UNREACHABLE', `The code source of ${input.who} (${input.variable}) failed: ${e.message}.`, { hint: e.fix });
}

/**
 * Open the source and take its baseline now (call this before the sign-in asks for a code); the
 * baseline runs in the background, `next` waits for it.
 */
export function startCodeWaiter(input: CodeWaiterInput): CodeWaiter {
  const ctx: ReaderContext = { username: input.username, address: input.address, env: input.env ?? process.env, requestTimeoutMs: input.requestTimeoutMs ?? 10_000 };
  const backoff = input.backoff ?? DEFAULT_BACKOFF;
  const used = new Set<string>();
  const since = Date.now();
  let readerP: Promise<CodeReader> | undefined;
  const ready = (async () => {
    readerP = openReader(input.source, ctx);
    const r = await readerP;
    await r.baseline(since);
    return r;
  })();
  ready.catch(() => undefined);

  return {
    async next(timeoutMs, signal) {
      const started = Date.now();
      const deadline = started + Math.max(0, timeoutMs);
      let lastError: SourceError | undefined;
      let reader: CodeReader | undefined;
      let delay = backoff.initialMs;
      let polls = 0;
      for (;;) {
        if (signal?.aborted) throw signal.reason ?? new Error('aborted');
        try {
          reader ??= await ready;
          polls += 1;
          const messages = await reader.poll();
          lastError = undefined;
          for (const m of messages) {
            if (used.has(m.key) || !addressedTo(m, input.address)) continue;
            const code = extractCode(m.text);
            used.add(m.key);
            if (!code) {
              input.logger.debug(`a message for ${input.who} at ${input.source.display} holds no 6-8 digit code; looking further`);
              continue;
            }
            registerSecret(code);
            input.logger.debug(`one-time code for ${input.who} read from ${input.source.display} after ${Date.now() - started} ms (${polls} look${polls === 1 ? '' : 's'})`);
            return code;
          }
        } catch (e) {
          if (!(e instanceof SourceError)) throw e;
          if (e.fatal) throw sourceFailure(e, input);
          lastError = e;
          input.logger.debug(`the code source of ${input.who} did not answer (${e.message}); trying again`);
        }
        const left = deadline - Date.now();
        if (left <= 0) break;
        await sleep(Math.min(delay, left), signal);
        delay = Math.min(backoff.maxMs, Math.round(delay * backoff.factor));
      }
      const secs = Math.round(timeoutMs / 1000);
      if (lastError) {
        throw new CnError('CODE_SOURCE_UNREACHABLE', ExitCode.IdpFailure, `No one-time code for ${input.who}: the code source ${input.source.display} (${input.variable}) kept failing for ${secs} s: ${lastError.message}.`, { hint: lastError.fix });
      }
      throw idpFailure('CODE_NOT_RECEIVED', `No one-time code for ${input.who} arrived at ${input.source.display} (${input.variable}) within ${secs} s after the sign-in asked for it${input.address ? ` (looking for messages to ${input.address})` : ''}.`, {
        hint: `Check that the user pool delivers this user's ${input.source.kind === 'file' ? 'messages' : 'emails or texts'} to that source, and that the message is addressed to ${input.address ?? 'the user'} (set TEST_USER_<NAME>_CODE_ADDRESS if the username is not the address); raise COGNITO_NEWMAN_CODE_TIMEOUT_MS if delivery is slow.`,
        details: { source: input.source.display, waitedMs: timeoutMs },
      });
    },
    async close() {
      const r = await readerP?.catch(() => undefined);
      await r?.close().catch(() => undefined);
    },
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
