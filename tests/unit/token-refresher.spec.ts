// The long-run refresher and the Newman hook, without a network: when a refresh is due, what
// happens on success, failure and stop; and how new tokens reach postman-collection's own
// VariableScope and Request objects (the ones newman 6 / postman-runtime 7 use) before sending.
import { EventEmitter } from 'node:events';
import { test, expect } from '@playwright/test';
import sdk from 'postman-collection';
import { CnError } from '../../src/errors.js';
import { silentLogger, type Logger } from '../../src/log.js';
import type { TokenSet } from '../../src/oauth/types.js';
import { createLiveRedactor, followLiveTokens } from '../../src/newman/live-tokens.js';
import { expiresAt, refreshDelay, startTokenRefresher, type TokenChange, type Timers } from '../../src/tokens/refresher.js';

const T0 = 1_700_000_000_000;

/** A compact JWS-shaped token with this `exp` (signature irrelevant here). */
function jwt(exp: number, tag: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part({ exp, tag })}.c2lnbmF0dXJl${tag}`;
}

function tokenSet(tag: string, issuedAt: number, lifetimeS: number): TokenSet {
  return {
    accessToken: jwt(Math.floor(issuedAt / 1000) + lifetimeS, `access-${tag}`),
    idToken: jwt(Math.floor(issuedAt / 1000) + lifetimeS, `id-${tag}`),
    refreshToken: 'refresh-token-that-stays',
    tokenType: 'Bearer',
    expiresIn: lifetimeS,
    accessTokenExpiresAt: issuedAt + lifetimeS * 1000,
  };
}

/** A clock and timers the test moves by hand. */
function manualTime(start = T0) {
  let now = start;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    set(fn, ms) {
      const id = ++seq;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clear(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    now: () => now,
    pending: () => [...pending.values()].map((p) => p.at - now).sort((a, b) => a - b),
    /** Move the clock to the next timer and run it, then let its promise chain settle. */
    async fireNext(): Promise<number> {
      const [id, next] = [...pending.entries()].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
      if (id === undefined || !next) throw new Error('no timer pending');
      now = Math.max(now, next.at);
      pending.delete(id);
      next.fn();
      for (let i = 0; i < 20; i++) await Promise.resolve();
      return now;
    },
  };
}

function capture(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { level: 'info', info: () => undefined, debug: () => undefined, warn: (m) => void warnings.push(m), warnings };
}

test('refreshDelay: 5 minutes before a one-hour token expires, after 80% of a short one, at once when expired', () => {
  expect(refreshDelay({ ...tokenSet('a', T0, 3600), accessToken: 'opaque', idToken: 'opaque' }, T0)).toBe(55 * 60_000);
  expect(refreshDelay({ ...tokenSet('a', T0, 5), accessToken: 'opaque', idToken: 'opaque' }, T0)).toBe(4000);
  expect(refreshDelay({ ...tokenSet('a', T0, 5), accessToken: 'opaque', idToken: 'opaque' }, T0 + 6000)).toBe(0);
});

test('expiresAt: the JWT exp wins when it is earlier than the client-side reckoning (whole seconds)', () => {
  const t = tokenSet('a', T0 + 900, 5); // exp rounds the issue time down to T0
  expect(t.accessTokenExpiresAt).toBe(T0 + 5900);
  expect(expiresAt(t)).toBe(T0 + 5000);
  expect(expiresAt({ ...t, accessToken: 'not-a-jwt', idToken: 'not-a-jwt' })).toBe(T0 + 5900);
});

test('expiresAt: an ID token that expires before the access token sets the time (collections may send it)', () => {
  const t = { ...tokenSet('a', T0, 3600), idToken: jwt(T0 / 1000 + 300, 'id-short') };
  expect(expiresAt(t)).toBe(T0 + 300_000);
});

test('a due refresh replaces the tokens, tells listeners and schedules the next one', async () => {
  const time = manualTime();
  const first = tokenSet('1', T0, 5);
  let issued = 1;
  const refresher = startTokenRefresher({
    users: [{ name: 'default', tokens: first }],
    logger: silentLogger,
    refresh: async (_name, rt) => {
      expect(rt).toBe('refresh-token-that-stays');
      return tokenSet(String(++issued), time.now(), 5);
    },
    now: time.now,
    timers: time.timers,
  });
  const changes: TokenChange[] = [];
  refresher.onChange((c) => changes.push(c));
  expect(time.pending()).toEqual([4000]);

  expect(await time.fireNext()).toBe(T0 + 4000);
  expect(changes).toHaveLength(1);
  expect(changes[0]!.previous).toBe(first);
  expect(refresher.current('default')!.accessToken).toBe(changes[0]!.next.accessToken);
  expect(time.pending()).toEqual([4000]);
  await time.fireNext();
  expect(refresher.refreshes).toBe(2);
  await refresher.stop();
  expect(time.pending()).toEqual([]);
});

test('a failed refresh keeps the old token and retries with backoff, then gives up with a warning', async () => {
  const time = manualTime();
  const logger = capture();
  const first = tokenSet('1', T0, 5);
  let calls = 0;
  const refresher = startTokenRefresher({
    users: [{ name: 'admin', tokens: first }],
    logger,
    refresh: async () => {
      calls++;
      throw new CnError('TOKEN_ENDPOINT_UNREACHABLE', 4, 'The token endpoint could not be reached.');
    },
    maxAttempts: 3,
    retryBaseMs: 1000,
    now: time.now,
    timers: time.timers,
  });
  await time.fireNext();
  expect(time.pending()).toEqual([1000]);
  await time.fireNext();
  expect(time.pending()).toEqual([2000]);
  await time.fireNext();
  expect(calls).toBe(3);
  expect(time.pending(), 'no busy loop after giving up').toEqual([]);
  expect(refresher.current('admin')).toBe(first);
  expect(logger.warnings).toHaveLength(3);
  expect(logger.warnings[2]).toContain('user "admin"');
  expect(logger.warnings[2]).toContain('giving up and keeping the old token');
  await refresher.stop();
});

test('a refused refresh token (invalid_grant) is not retried', async () => {
  const time = manualTime();
  const logger = capture();
  let calls = 0;
  const refresher = startTokenRefresher({
    users: [{ name: 'default', tokens: tokenSet('1', T0, 5) }],
    logger,
    refresh: async () => {
      calls++;
      throw new CnError('OAUTH_INVALID_GRANT', 3, 'The refresh token was refused.');
    },
    now: time.now,
    timers: time.timers,
  });
  await time.fireNext();
  expect(calls).toBe(1);
  expect(time.pending()).toEqual([]);
  expect(logger.warnings[0]).toContain('OAUTH_INVALID_GRANT');
  await refresher.stop();
});

test('users without a refresh token are left alone; stop() cancels what is pending', async () => {
  const time = manualTime();
  const { refreshToken: _none, ...implicit } = tokenSet('1', T0, 5);
  const refresher = startTokenRefresher({
    users: [{ name: 'implicit', tokens: implicit }, { name: 'code', tokens: tokenSet('2', T0, 3600) }],
    logger: silentLogger,
    refresh: async () => {
      throw new Error('must not be called');
    },
    now: time.now,
    timers: time.timers,
  });
  expect(time.pending()).toEqual([55 * 60_000]);
  await refresher.stop();
  expect(time.pending()).toEqual([]);
});

// --- the Newman hook, on postman-collection's real objects ---------------------------------------

function fakeRun(envValues: Array<{ key: string; value: string }>) {
  const environment = new sdk.VariableScope({ values: envValues });
  const collectionVariables = new sdk.VariableScope({ values: [] });
  const emitter = new EventEmitter();
  return { emitter, environment, collectionVariables, state: { environment, collectionVariables, globals: new sdk.VariableScope({}), _variables: new sdk.VariableScope({}) } };
}

function liveSource() {
  const listeners = new Set<(c: TokenChange) => void>();
  let current: TokenSet | undefined;
  return {
    live: { current: () => current, onChange: (l: (c: TokenChange) => void) => (listeners.add(l), () => void listeners.delete(l)) },
    emit(change: TokenChange) {
      current = change.next;
      for (const l of listeners) l(change);
    },
  };
}

test('after a refresh, the run variables and an old token in a signed request become the new token', () => {
  const old = tokenSet('old', T0, 5);
  const next = tokenSet('new', T0 + 4000, 5);
  const run = fakeRun([
    { key: 'accessToken', value: old.accessToken },
    { key: 'accessTokenExpiresAt', value: new Date(old.accessTokenExpiresAt).toISOString() },
    { key: 'other', value: 'unrelated' },
  ]);
  run.collectionVariables.set('copiedByScript', `Bearer ${old.accessToken}`, 'string');
  const source = liveSource();
  const redactor = createLiveRedactor([old.accessToken]);
  const follower = followLiveTokens({ live: source.live, users: [{ name: 'default', tokens: old }], redactor, logger: silentLogger });
  follower.attach(run.emitter);
  run.emitter.emit('start', null, { run: { state: run.state } });

  source.emit({ name: 'default', previous: old, next });
  expect(run.environment.get('accessToken')).toBe(next.accessToken);
  expect(run.environment.get('accessTokenExpiresAt')).toBe(new Date(next.accessTokenExpiresAt).toISOString());
  expect(run.environment.get('other')).toBe('unrelated');
  expect(run.collectionVariables.get('copiedByScript')).toBe(`Bearer ${next.accessToken}`);
  expect(redactor.text(`x ${next.accessToken} y`)).not.toContain(next.accessToken);

  // What an OAuth 2.0 block signs with the token it was given at the start, after signing.
  const request = new sdk.Request({
    url: `http://127.0.0.1:1/me?access_token=${old.accessToken}`,
    method: 'POST',
    header: [{ key: 'Authorization', value: `Bearer ${old.accessToken}` }, { key: 'X-Id', value: old.idToken! }],
    body: { mode: 'raw', raw: JSON.stringify({ token: old.accessToken }) },
  });
  run.emitter.emit('beforeRequest', null, { request });
  expect(request.headers.get('Authorization')).toBe(`Bearer ${next.accessToken}`);
  expect(request.headers.get('X-Id')).toBe(next.idToken);
  expect(request.url.query.get('access_token')).toBe(next.accessToken);
  expect(request.body?.raw).toBe(JSON.stringify({ token: next.accessToken }));
  expect(follower.requestsRewritten).toBe(1);
  follower.dispose();
});

test('a value the user set on purpose (--env-var) is left alone, and a second refresh also fixes the first token', () => {
  const t1 = tokenSet('1', T0, 5);
  const t2 = tokenSet('2', T0 + 4000, 5);
  const t3 = tokenSet('3', T0 + 8000, 5);
  const run = fakeRun([{ key: 'accessToken', value: 'my-own-token' }]);
  const source = liveSource();
  const follower = followLiveTokens({ live: source.live, users: [{ name: 'default', tokens: t1 }], redactor: createLiveRedactor([]), logger: silentLogger });
  follower.attach(run.emitter);
  run.emitter.emit('start', null, { run: { state: run.state } });
  source.emit({ name: 'default', previous: t1, next: t2 });
  source.emit({ name: 'default', previous: t2, next: t3 });
  expect(run.environment.get('accessToken')).toBe('my-own-token');
  const request = new sdk.Request({ url: 'http://127.0.0.1:1/me', header: [{ key: 'Authorization', value: `Bearer ${t1.accessToken}` }] });
  run.emitter.emit('beforeRequest', null, { request });
  expect(request.headers.get('Authorization')).toBe(`Bearer ${t3.accessToken}`);
  follower.dispose();
});
