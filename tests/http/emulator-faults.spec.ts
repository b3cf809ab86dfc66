// Fault injection: the next N token responses as 429 (Retry-After) or 5xx, per-endpoint latency,
// a slow login page, flag parsing with exit-2 errors, and reset() clearing faults and the clock.
import { test, expect } from '../fixtures/emulator.js';
import { EmulatorError } from '../../packages/emulator/errors.js';
import { parseFaultFlag, parseFaultFlags, startEmulator } from '../../packages/emulator/src/index.js';
import { codeFor, exchange, get, POSTMAN, PUBLIC, authorizeQuery } from '../fixtures/emulator-http.js';

const grant = (code: string) => ({ grant_type: 'authorization_code', client_id: PUBLIC, code, redirect_uri: POSTMAN });

test('the next 2 token responses are 429 with Retry-After, then the same code still works', async ({ emulator }) => {
  const code = await codeFor(emulator.baseUrl);
  emulator.faults.failNextToken(2, 429, { retryAfterSeconds: 3 });
  for (let i = 0; i < 2; i++) {
    const res = await exchange(emulator.baseUrl, grant(code));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(((await res.json()) as { error: string }).error).toBe('too_many_requests');
  }
  expect(emulator.faults.pending('token')).toBe(0);
  expect((await exchange(emulator.baseUrl, grant(code))).status).toBe(200);
});

test('the next 3 token responses are 503, then normal answers resume', async ({ emulator }) => {
  emulator.faults.failNextToken(3, 503);
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await exchange(emulator.baseUrl, { grant_type: 'refresh_token', client_id: PUBLIC, refresh_token: 'x' })).status);
  expect(statuses).toEqual([503, 503, 503, 400]);
});

test('a 429 without an explicit Retry-After says 1 second', async ({ emulator }) => {
  emulator.faults.failNextToken(1);
  expect((await exchange(emulator.baseUrl, { grant_type: 'client_credentials' })).headers.get('retry-after')).toBe('1');
});

test('only 429 and 5xx can be injected', async ({ emulator }) => {
  expect(() => emulator.faults.failNextToken(1, 400)).toThrow(RangeError);
});

test('latency on the token endpoint delays its answer by at least that much', async ({ emulator }) => {
  emulator.faults.setLatency('token', 300);
  const t0 = performance.now();
  await exchange(emulator.baseUrl, { grant_type: 'client_credentials' });
  expect(performance.now() - t0).toBeGreaterThanOrEqual(295);
});

test('a slow login page delays GET /login only', async ({ emulator }) => {
  emulator.faults.setSlowLoginPage(300);
  const t0 = performance.now();
  expect((await get(emulator.baseUrl, `/login?${authorizeQuery()}`)).status).toBe(200);
  expect(performance.now() - t0).toBeGreaterThanOrEqual(295);
});

test('injected failures on a page answer with the error page and status', async ({ emulator }) => {
  emulator.faults.failNext('login', 1, 500);
  const res = await get(emulator.baseUrl, `/login?${authorizeQuery()}`);
  expect(res.status).toBe(500);
  expect(await res.text()).toContain('An error was encountered with the requested page.');
});

test('reset() clears faults and puts the clock back to real time', async ({ emulator }) => {
  emulator.faults.failNextToken(5, 500);
  emulator.faults.setLatency('token', 10_000);
  emulator.clock.advance(3_600_000);
  emulator.reset();
  expect(emulator.faults.pending('token')).toBe(0);
  expect(emulator.faults.latencyFor('token')).toBe(0);
  expect(Math.abs(emulator.clock.now() - Date.now())).toBeLessThan(1000);
});

test('faults can be given at start-up as options', async () => {
  const emu = await startEmulator({ faults: { failures: { token: [{ status: 502, count: 1 }] } } });
  try {
    expect((await exchange(emu.baseUrl, { grant_type: 'client_credentials' })).status).toBe(502);
    expect((await exchange(emu.baseUrl, { grant_type: 'client_credentials' })).status).toBe(400);
  } finally {
    await emu.stop();
  }
});

test('fault flags parse into options', () => {
  expect(parseFaultFlag('latency:token=200')).toEqual({ latency: { token: 200 } });
  expect(parseFaultFlag('token:429x2')).toEqual({ failures: { token: [{ status: 429, count: 2 }] } });
  expect(parseFaultFlag('token:503x1,retry-after=4')).toEqual({ failures: { token: [{ status: 503, count: 1, retryAfterSeconds: 4 }] } });
  expect(parseFaultFlag('slow-login=800')).toEqual({ slowLoginPageMs: 800 });
  expect(parseFaultFlags(['token:429x2', 'token:500x3', 'latency:userinfo=5'])).toEqual({
    latency: { userInfo: 5 },
    failures: { token: [{ status: 429, count: 2 }, { status: 500, count: 3 }] },
  });
});

for (const bad of ['token:400x1', 'token:429x0', 'nowhere:429x1', 'latency:token=fast', 'slow-login', 'boom']) {
  test(`the fault flag "${bad}" is an exit-2 usage error`, () => {
    let err: unknown;
    try {
      parseFaultFlag(bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EmulatorError);
    expect((err as EmulatorError).exitCode).toBe(2);
    expect((err as EmulatorError).code).toBe('EMULATOR_BAD_FAULT');
  });
}
