// Unit tests of the collection's OAuth 2.0 auth block: read as configuration (with variables),
// and given the token at collection, folder and request level.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import {
  authParams,
  findOAuth2Blocks,
  injectTokenIntoAuthBlocks,
  readCollectionAuth,
  resolveVariables,
  type AuthBlock,
  type CollectionJson,
} from '../../src/newman/auth-block.js';

const oauth2 = (params: Record<string, unknown>): AuthBlock => ({
  type: 'oauth2',
  oauth2: Object.entries(params).map(([key, value]) => ({ key, value, type: typeof value === 'boolean' ? 'boolean' : 'string' })),
});

/** The guide's Authorization tab, as Postman saves it. */
const GUIDE_BLOCK = {
  tokenName: 'Authorization',
  grant_type: 'authorization_code',
  authUrl: '{{cognitoDomain}}/login',
  accessTokenUrl: '{{cognitoDomain}}/oauth2/token',
  clientId: '{{clientId}}',
  redirect_uri: 'https://oauth.pstmn.io/v1/callback',
  useBrowser: true,
  client_authentication: 'body',
  scope: 'openid email profile',
  addTokenTo: 'header',
};

const request = (name: string, auth?: AuthBlock) => ({ name, request: { method: 'GET', url: '{{baseUrl}}/me', ...(auth ? { auth } : {}) } });

test('the guide-style block yields the configuration keys, variables resolved from the environment', () => {
  const collection: CollectionJson = { info: { name: 'c' }, auth: oauth2(GUIDE_BLOCK), item: [request('me')] };
  expect(readCollectionAuth(collection, { cognitoDomain: 'https://demo.auth.us-east-1.amazoncognito.com', clientId: 'abc123' })).toEqual({
    COGNITO_AUTH_URL: 'https://demo.auth.us-east-1.amazoncognito.com/login',
    COGNITO_TOKEN_URL: 'https://demo.auth.us-east-1.amazoncognito.com/oauth2/token',
    COGNITO_DOMAIN: 'https://demo.auth.us-east-1.amazoncognito.com',
    COGNITO_CLIENT_ID: 'abc123',
    COGNITO_SCOPES: 'openid email profile',
    COGNITO_REDIRECT_URI: 'https://oauth.pstmn.io/v1/callback',
    COGNITO_CLIENT_AUTH: 'body',
    COGNITO_RESPONSE_TYPE: 'code',
  });
});

test('the shipped guide-style collection reads the same way', () => {
  const collection = JSON.parse(readFileSync('collections/guide-style.postman_collection.json', 'utf8')) as CollectionJson;
  const got = readCollectionAuth(collection, { cognitoDomain: 'http://127.0.0.1:9977', clientId: 'demo-public-client' });
  expect(got).toMatchObject({ COGNITO_DOMAIN: 'http://127.0.0.1:9977', COGNITO_AUTH_URL: 'http://127.0.0.1:9977/login', COGNITO_CLIENT_ID: 'demo-public-client', COGNITO_CLIENT_AUTH: 'body' });
});

test('a reference that cannot be resolved leaves its key out rather than return a half URL', () => {
  const collection: CollectionJson = { auth: oauth2(GUIDE_BLOCK), item: [] };
  const got = readCollectionAuth(collection, { clientId: 'abc' });
  expect(got.COGNITO_AUTH_URL).toBeUndefined();
  expect(got.COGNITO_DOMAIN).toBeUndefined();
  expect(got.COGNITO_CLIENT_ID).toBe('abc');
});

test('nested variables and collection variables resolve, the environment winning over the collection', () => {
  const collection: CollectionJson = {
    variable: [{ key: 'region', value: 'eu-west-1' }, { key: 'clientId', value: 'from-collection' }],
    auth: oauth2({ authUrl: '{{domain}}/oauth2/authorize', clientId: '{{clientId}}' }),
    item: [],
  };
  const got = readCollectionAuth(collection, { domain: 'https://{{prefix}}.auth.{{region}}.amazoncognito.com', prefix: 'p', clientId: 'from-env' });
  expect(got.COGNITO_AUTH_URL).toBe('https://p.auth.eu-west-1.amazoncognito.com/oauth2/authorize');
  expect(got.COGNITO_CLIENT_ID).toBe('from-env');
});

test('client_authentication header means HTTP Basic, implicit grant means response type token, secret is read', () => {
  const collection: CollectionJson = { auth: oauth2({ client_authentication: 'header', grant_type: 'implicit', clientSecret: 's3cr3t-value' }), item: [] };
  expect(readCollectionAuth(collection, {})).toEqual({ COGNITO_CLIENT_AUTH: 'basic', COGNITO_RESPONSE_TYPE: 'token', COGNITO_CLIENT_SECRET: 's3cr3t-value' });
});

test('useBrowser without a redirect_uri means Postman\'s own callback', () => {
  const collection: CollectionJson = { auth: oauth2({ useBrowser: true, clientId: 'x' }), item: [] };
  expect(readCollectionAuth(collection, {}).COGNITO_REDIRECT_URI).toBe('https://oauth.pstmn.io/v1/callback');
});

test('the first block wins: collection before folders before requests', () => {
  const folderBlock = oauth2({ clientId: 'folder-client' });
  const requestBlock = oauth2({ clientId: 'request-client' });
  const base: CollectionJson = { item: [request('r', requestBlock), { name: 'F', item: [request('inner')], auth: folderBlock }] };
  expect(readCollectionAuth(base, {}).COGNITO_CLIENT_ID).toBe('folder-client');
  expect(readCollectionAuth({ ...base, auth: oauth2({ clientId: 'top' }) }, {}).COGNITO_CLIENT_ID).toBe('top');
  expect(readCollectionAuth({ item: [request('r', requestBlock)] }, {}).COGNITO_CLIENT_ID).toBe('request-client');
});

test('a collection without an OAuth 2.0 block gives no configuration', () => {
  expect(readCollectionAuth({ auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{accessToken}}' }] }, item: [request('r')] }, {})).toEqual({});
});

test('the token goes into every block at every level, sent as a Bearer header; the input stays untouched', () => {
  const collection: CollectionJson = {
    auth: oauth2(GUIDE_BLOCK),
    item: [
      { name: 'Folder', auth: oauth2({ addTokenTo: 'queryParams' }), item: [request('deep', oauth2({ accessToken: 'old', headerPrefix: 'JWT' }))] },
      request('plain'),
      request('noauth', { type: 'noauth' }),
    ],
  };
  const before = JSON.stringify(collection);
  const out = injectTokenIntoAuthBlocks(collection, 'tok.en.value');
  expect(JSON.stringify(collection)).toBe(before);
  const blocks = findOAuth2Blocks(out);
  expect(blocks.map((b) => b.level)).toEqual(['collection', 'folder', 'request']);
  for (const { block } of blocks) {
    expect(authParams(block)).toMatchObject({ accessToken: 'tok.en.value', addTokenTo: 'header', headerPrefix: 'Bearer', tokenType: 'Bearer' });
  }
  // The user's own settings stay.
  expect(authParams(blocks[0]!.block)).toMatchObject({ authUrl: '{{cognitoDomain}}/login', clientId: '{{clientId}}' });
  expect(out.item![2]!.request).toEqual(collection.item![2]!.request);
});

test('a v2.0 block (parameters in an object) gets the token too', () => {
  const out = injectTokenIntoAuthBlocks({ auth: { type: 'oauth2', oauth2: { clientId: 'x' } }, item: [] }, 'tkn-1');
  expect(out.auth).toEqual({ type: 'oauth2', oauth2: { clientId: 'x', accessToken: 'tkn-1', addTokenTo: 'header', headerPrefix: 'Bearer', tokenType: 'Bearer' } });
});

test('resolveVariables trims names and reports an unresolved reference as undefined', () => {
  expect(resolveVariables('{{ a }}/{{b}}', { a: '1', b: '2' })).toBe('1/2');
  expect(resolveVariables('{{a}}/{{missing}}', { a: '1' })).toBeUndefined();
  expect(resolveVariables('no refs', {})).toBe('no refs');
});
