// Unit tests of redaction: tokens and secrets in any encoding, JWT-shaped values, Authorization
// headers in structured and text reports, pieces of a wrapped token, and the console interceptor.
import { test, expect } from '@playwright/test';
import { Writable } from 'node:stream';
import { clearSecrets, registerSecret, REDACTED } from '../../src/log.js';
import { createRedactor, interceptStream } from '../../src/newman/redaction.js';
import { errorAnnotation } from '../../src/newman/github.js';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const JWT = `${b64({ alg: 'RS256', kid: 'k1' })}.${b64({ sub: 'u1', token_use: 'access', pad: 'x'.repeat(120) })}.${'S'.repeat(40)}sig_-${'T'.repeat(300)}`;

test.afterEach(() => clearSecrets());

test('a token is replaced wherever it appears, also URL-encoded and HTML/XML-escaped secrets', () => {
  const password = 'p&ss<w>rd="1"';
  registerSecret(password);
  const r = createRedactor([JWT]);
  const text = `a ${JWT} b ${encodeURIComponent(password)} c ${password.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')} d`;
  const out = r.text(text);
  expect(out).not.toContain(JWT);
  expect(out).not.toContain('p&amp;ss');
  expect(out).not.toContain('p%26ss');
  expect(out.split(REDACTED)).toHaveLength(4);
});

test('any JWT-shaped value is masked, even one never registered (a forged or derived token)', () => {
  const r = createRedactor([]);
  const forged = `${JWT.slice(0, -5)}AAAAA`;
  expect(r.text(`x ${forged} y`)).toBe(`x ${REDACTED} y`);
  expect(r.text('Authorization: Bearer eyJhbGci')).toBe(`Authorization: Bearer ${REDACTED}`);
});

test('Authorization header values are masked in text whatever the scheme', () => {
  const r = createRedactor([]);
  expect(r.text('Authorization: Basic ZGVtbzpzZWNyZXQ=\nAccept: */*')).toBe(`Authorization: Basic ${REDACTED}\nAccept: */*`);
  expect(r.text('"authorization": "opaque-token-123"')).toBe(`"authorization": "${REDACTED}"`);
});

test('structured reports: header objects named Authorization lose their value, other fields stay', () => {
  const r = createRedactor(['refresh-token-value']);
  const report = {
    request: { header: [{ key: 'Authorization', value: 'Basic abc' }, { key: 'Accept', value: 'application/json' }] },
    environment: { values: [{ key: 'refreshToken', value: 'refresh-token-value' }] },
    map: { Authorization: 'Digest xyz' },
  };
  expect(r.value(report)).toEqual({
    request: { header: [{ key: 'Authorization', value: REDACTED }, { key: 'Accept', value: 'application/json' }] },
    environment: { values: [{ key: 'refreshToken', value: REDACTED }] },
    map: { Authorization: REDACTED },
  });
  expect(report.map.Authorization).toBe('Digest xyz');
});

test('export content keeps its format: JSON text stays parseable JSON, other text stays text', () => {
  const r = createRedactor([JWT]);
  const json = r.content(JSON.stringify({ run: { failures: [{ message: `expected '${JWT}'` }] } }, null, 2)) as string;
  expect(JSON.parse(json)).toEqual({ run: { failures: [{ message: `expected '${REDACTED}'` }] } });
  expect(r.content(`<testcase><failure>${JWT}</failure></testcase>`)).toBe(`<testcase><failure>${REDACTED}</failure></testcase>`);
  expect(r.content({ values: [{ key: 'accessToken', value: JWT }] })).toEqual({ values: [{ key: 'accessToken', value: REDACTED }] });
});

test('pieces of a token wrapped over several lines are masked', () => {
  const opaque = 'Zq7'.repeat(60); // not JWT-shaped: only the value itself identifies it
  const r = createRedactor([opaque]);
  const wrapped = opaque.match(/.{1,50}/g)!.map((piece) => `  │ ${piece}`).join('\n');
  const out = r.text(wrapped);
  for (const line of out.split('\n')) expect(line).toBe(`  │ ${REDACTED}`);
});

test('ordinary text is left alone', () => {
  const r = createRedactor(['some-secret-value']);
  const text = 'GET http://127.0.0.1:3000/me [200 OK, 512B, 12ms]\n  ✓  status is 200\nBearer tokens are described in RFC 6750';
  expect(r.text(text)).toBe(text);
});

test('the stream interceptor redacts whole lines, even a token split across writes, and restores the stream', () => {
  const r = createRedactor([JWT]);
  const seen: string[] = [];
  const stream = new Writable({ write: (_c, _e, cb) => cb() }) as unknown as NodeJS.WriteStream;
  const original = stream.write;
  const restore = interceptStream(stream, r, (s) => seen.push(s));
  stream.write(`token: ${JWT.slice(0, 100)}`);
  stream.write(`${JWT.slice(100)}\nnext `);
  stream.write(Buffer.from('line'));
  restore();
  expect(seen.join('')).toBe(`token: ${REDACTED}\nnext line`);
  expect(stream.write).toBe(original);
});

test('GitHub annotations escape their title and message', () => {
  expect(errorAnnotation('GET /me: a, b', 'one\ntwo')).toBe('::error title=GET /me%3A a%2C b::one%0Atwo\n');
});

test('a body kept as Buffer JSON (newman json report) is decoded, redacted and kept as bytes', () => {
  const r = createRedactor([JWT]);
  const stream = { type: 'Buffer', data: [...Buffer.from(`{"echo":"${JWT}"}`)] };
  const out = r.value({ response: { stream } });
  expect(Buffer.from(out.response.stream.data).toString('utf8')).toBe(`{"echo":"${REDACTED}"}`);
  const plain = { type: 'Buffer', data: [...Buffer.from('{"ok":true}')] };
  expect(r.value(plain)).toEqual(plain);
});

test('the process-wide index: a secret registered after a redactor was built is hidden too, and clearSecrets starts afresh', () => {
  const r = createRedactor([]);
  const late = 'late-registered-secret-value-0123456789';
  expect(r.text(`a ${late} b`)).toBe(`a ${late} b`);
  registerSecret(late);
  expect(r.text(`a ${late} b`)).toBe(`a ${REDACTED} b`);
  // A wrapped piece of it (cut by the cli reporter) is found through the same index.
  expect(r.text(`x ${late.slice(5, 30)} y`)).toBe(`x ${REDACTED} y`);
  expect(r.secrets).toContain(late);
  clearSecrets();
  const fresh = createRedactor(['ZZZZ-another-one-9876']);
  expect(fresh.secrets).not.toContain(late);
  expect(fresh.text(`${late} ZZZZ-another-one-9876`)).toBe(`${late} ${REDACTED}`);
});
