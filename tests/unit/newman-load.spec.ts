// Unit tests of loading the collection and environment the user names: paths, URLs, wrappers and
// the usage errors (exit 2) for what cannot be read.
import { test, expect } from '@playwright/test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CnError, ExitCode } from '../../src/errors.js';
import { authVariables, loadCollection, loadEnvironmentValues } from '../../src/newman/load.js';

async function usageErrorOf(p: Promise<unknown>): Promise<CnError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(CnError);
  expect((e as CnError).exitCode).toBe(ExitCode.Usage);
  return e as CnError;
}

test('a collection file is read as JSON', async () => {
  const c = await loadCollection('collections/demo.postman_collection.json');
  expect(c.info?.name).toBe('cognito-newman demo');
});

test('a missing collection file is a usage error that names the path', async () => {
  const e = await usageErrorOf(loadCollection('collections/nope.postman_collection.json'));
  expect(e.code).toBe('COLLECTION_NOT_FOUND');
  expect(e.message).toContain('collections/nope.postman_collection.json');
});

test('a file that is not JSON, or JSON that is no collection, is a usage error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cn-load-'));
  try {
    await writeFile(join(dir, 'bad.json'), '{ not json');
    await writeFile(join(dir, 'other.json'), '{"values": []}');
    expect((await usageErrorOf(loadCollection(join(dir, 'bad.json')))).code).toBe('COLLECTION_INVALID');
    expect((await usageErrorOf(loadCollection(join(dir, 'other.json')))).code).toBe('COLLECTION_INVALID');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a collection URL is fetched, and the Postman API wrapper is unwrapped', async () => {
  const server = createServer((req, res) => {
    if (req.url === '/c.json') res.end(JSON.stringify({ collection: { info: { name: 'from url' }, item: [] } }));
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    expect((await loadCollection(`${base}/c.json`)).info?.name).toBe('from url');
    expect((await usageErrorOf(loadCollection(`${base}/missing.json`))).message).toContain('HTTP 404');
  } finally {
    server.close();
  }
});

test('environment values: enabled ones only; --env-var wins over the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cn-load-'));
  try {
    const file = join(dir, 'env.json');
    await writeFile(file, JSON.stringify({ values: [{ key: 'a', value: '1' }, { key: 'b', value: '2', enabled: false }, { key: 'c', value: 3 }] }));
    const env = await loadEnvironmentValues(file);
    expect(env).toEqual({ a: '1', c: '3' });
    expect(authVariables(env, [{ key: 'a', value: 'flag' }])).toEqual({ a: 'flag', c: '3' });
    expect(await loadEnvironmentValues(undefined)).toEqual({});
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
