// Unit tests of the callback matcher behind the CDP capture (what counts as "the callback").
import { test, expect } from '@playwright/test';
import { callbackBase, callbackFromPaused, fetchPatternLiteral, isCallbackUrl } from '../../src/login/capture.js';

const paused = (over: Record<string, unknown>) =>
  ({ requestId: '1', resourceType: 'Document', request: { url: 'https://d.example/login?x=1', method: 'GET', headers: {} }, ...over }) as Parameters<typeof callbackFromPaused>[0];

test('a 302 whose Location is the redirect URI yields the full URL', () => {
  const ev = paused({ responseStatusCode: 302, responseHeaders: [{ name: 'Location', value: 'https://oauth.pstmn.io/v1/callback?code=abc&state=s' }] });
  expect(callbackFromPaused(ev, 'https://oauth.pstmn.io/v1/callback')).toBe('https://oauth.pstmn.io/v1/callback?code=abc&state=s');
});

test('a custom-scheme Location and an implicit-grant fragment are kept whole', () => {
  const custom = paused({ responseStatusCode: 302, responseHeaders: [{ name: 'location', value: 'myapp://callback?code=c&state=s' }] });
  expect(callbackFromPaused(custom, 'myapp://callback')).toBe('myapp://callback?code=c&state=s');
  const frag = paused({ responseStatusCode: 302, responseHeaders: [{ name: 'location', value: 'https://cb.example/cb#access_token=t&state=s' }] });
  expect(callbackFromPaused(frag, 'https://cb.example/cb')).toBe('https://cb.example/cb#access_token=t&state=s');
});

test('a relative Location is resolved against the request', () => {
  const ev = paused({ responseStatusCode: 303, responseHeaders: [{ name: 'location', value: '/cb?code=1' }] });
  expect(callbackFromPaused(ev, 'https://d.example/cb')).toBe('https://d.example/cb?code=1');
});

test('other redirects and ordinary responses are not the callback', () => {
  expect(callbackFromPaused(paused({ responseStatusCode: 302, responseHeaders: [{ name: 'location', value: '/login?x' }] }), 'https://cb/cb')).toBeUndefined();
  expect(callbackFromPaused(paused({ responseStatusCode: 200, responseHeaders: [] }), 'https://d.example/login')).toBeUndefined();
  // Exact path: a longer path with the same prefix is someone else.
  expect(callbackFromPaused(paused({ request: { url: 'https://cb.example/callback2?code=1', method: 'GET', headers: {} } }), 'https://cb.example/callback')).toBeUndefined();
});

test('a request to the callback keeps its fragment, and a form post becomes a query', () => {
  const get = paused({ request: { url: 'http://localhost:5000/callback', urlFragment: '#access_token=t', method: 'GET', headers: {} } });
  expect(callbackFromPaused(get, 'http://localhost:5000/callback')).toBe('http://localhost:5000/callback#access_token=t');
  const post = paused({ request: { url: 'http://localhost:5000/callback', method: 'POST', postData: 'code=c&state=s', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } } });
  expect(callbackFromPaused(post, 'http://localhost:5000/callback')).toBe('http://localhost:5000/callback?code=c&state=s');
});

test('URL matching normalises default ports and host case, and custom schemes by scheme case', () => {
  expect(isCallbackUrl('https://OAUTH.pstmn.io:443/v1/callback?code=1', 'https://oauth.pstmn.io/v1/callback')).toBe(true);
  expect(isCallbackUrl('http://localhost:8080/callback', 'http://localhost:8081/callback')).toBe(false);
  expect(isCallbackUrl('MyApp://callback?code=1', 'myapp://callback')).toBe(true);
  expect(callbackBase('https://a.example/cb?x=1#y')).toBe('https://a.example/cb');
});

test('pattern literals escape CDP wildcards', () => {
  expect(fetchPatternLiteral('https://a/b?c*d\\e')).toBe('https://a/b\\?c\\*d\\\\e');
});
