// Unit test of the Mailpit code source (its HTTP API through undici, answered by a MockAgent): only
// messages listed after the baseline and addressed to the user have their bodies fetched, and a
// refused login is a configuration problem with the fix.
import { test, expect } from '@playwright/test';
import { MockAgent } from 'undici';
import { mailpitReader } from '../../src/codes/mailpit.js';
import { parseCodeSource } from '../../src/config/factors.js';
import { SourceError } from '../../src/codes/reader.js';

const source = parseCodeSource('mailpit+http://127.0.0.1:8025').source as Extract<ReturnType<typeof parseCodeSource>['source'], { kind: 'mailpit' }>;

test('new messages to the user are read; older ones and other recipients are not fetched', async () => {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const api = agent.get('http://127.0.0.1:8025');
  const old = { ID: 'old', To: [{ Address: 'ann@example.com' }], Created: new Date(Date.now() - 60_000).toISOString() };
  api.intercept({ path: '/api/v1/messages?limit=50', method: 'GET' }).reply(200, { messages: [old] });
  const reader = mailpitReader(source, { username: 'ann@example.com', address: 'ann@example.com', env: {}, requestTimeoutMs: 2_000, dispatcher: agent });
  await reader.baseline(Date.now());
  const now = new Date().toISOString();
  api.intercept({ path: '/api/v1/messages?limit=50', method: 'GET' }).reply(200, {
    messages: [{ ID: 'bob', To: [{ Address: 'bob@example.com' }], Created: now }, { ID: 'ann', To: [{ Address: 'Ann@Example.com' }], Created: now }, old],
  });
  api.intercept({ path: '/api/v1/message/ann', method: 'GET' }).reply(200, { Text: 'Your verification code is 24681357.' });
  const got = await reader.poll();
  expect(got.map((m) => m.key)).toEqual(['ann']);
  expect(got[0]!.text).toContain('24681357');
  agent.assertNoPendingInterceptors();
  await agent.close();
});

test('a refused login is fatal, with the fix', async () => {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agent.get('http://127.0.0.1:8025').intercept({ path: '/api/v1/info', method: 'GET' }).reply(401, 'unauthorised');
  const reader = mailpitReader(source, { username: 'a', address: undefined, env: {}, requestTimeoutMs: 2_000, dispatcher: agent });
  const err = await reader.probe().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(SourceError);
  expect((err as SourceError).fatal).toBe(true);
  expect((err as SourceError).fix).toContain('mailpit+http://user:password@host:8025');
  await agent.close();
});
