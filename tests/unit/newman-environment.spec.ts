// Unit tests of environment.ts: Postman 2.1 JSON and v12 YAML environments and globals become the
// one 2.1 object Newman takes, secret-marked values are collected, and a bad file is a usage error
// naming the file and (YAML) the line, never quoting a value.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { CnError } from '../../src/errors.js';
import { parseVariableScope, readVariableScope } from '../../src/newman/environment.js';
import { silentLogger } from '../../src/log.js';
import { toNewmanRunOptions } from '../../src/newman/options.js';
import { checkUrlVariables } from '../../src/newman/undefined-variables.js';

async function usageErrorOf(fn: () => Promise<unknown>): Promise<CnError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CnError);
    expect((e as CnError).exitCode).toBe(2);
    return e as CnError;
  }
  throw new Error('expected a usage error');
}

test('a v12 environment YAML becomes the 2.1 environment newman takes, with its secrets and enabled values', async () => {
  const yaml = [
    'name: Staging',
    'values:',
    '  - key: baseUrl',
    '    value: https://api.example.test',
    '    enabled: true',
    '    type: default',
    '  - key: apiKey',
    '    value: k-123456',
    '    enabled: true',
    '    type: secret',
    '  - key: oldKey',
    '    value: old-98765',
    '    enabled: false',
    '    secret: true',
    '  - key: port',
    '    value: 8080',
    '  - key: empty',
  ].join('\n');
  const r = await parseVariableScope(yaml, 'postman/environments/Staging.environment.yaml', 'environment');
  expect(r.scope).toEqual({
    name: 'Staging',
    _postman_variable_scope: 'environment',
    values: [
      { key: 'baseUrl', value: 'https://api.example.test', type: 'default', enabled: true },
      { key: 'apiKey', value: 'k-123456', type: 'secret', enabled: true },
      { key: 'oldKey', value: 'old-98765', type: 'secret', enabled: false },
      { key: 'port', value: '8080', type: 'default', enabled: true },
      { key: 'empty', value: '', type: 'default', enabled: true },
    ],
  });
  // A disabled secret is still a secret: a script may enable it.
  expect(r.secrets).toEqual(['k-123456', 'old-98765']);
  expect(r.values).toEqual({ baseUrl: 'https://api.example.test', apiKey: 'k-123456', port: '8080', empty: '' });
});

test('a 2.1 JSON environment keeps its shape; "type": "secret" marks a secret, other 2.1 types pass', async () => {
  const json = JSON.stringify({ id: 'e1', name: 'Dev', values: [{ key: 'a', value: 'x', type: 'any', enabled: true }, { key: 's', value: 'top-secret', type: 'secret' }] });
  const r = await parseVariableScope(json, 'dev.postman_environment.json', 'environment');
  expect(r.scope).toEqual({ id: 'e1', name: 'Dev', _postman_variable_scope: 'environment', values: [{ key: 'a', value: 'x', type: 'any', enabled: true }, { key: 's', value: 'top-secret', type: 'secret', enabled: true }] });
  expect(r.secrets).toEqual(['top-secret']);
});

test('globals YAML (.yml too) reads the same way, scoped as globals', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cn-env-'));
  try {
    const file = join(dir, 'Workspace.globals.yml');
    await writeFile(file, 'name: Workspace\nvalues:\n  - key: g\n    value: "1"\n    enabled: true\n');
    const r = await readVariableScope(file, 'globals');
    expect(r.scope._postman_variable_scope).toBe('globals');
    expect(r.values).toEqual({ g: '1' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a v12 YAML globals file defines variables for the undefined-variable check, as a JSON one does', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cn-env-'));
  try {
    const file = join(dir, 'Workspace.globals.yaml');
    await writeFile(file, 'name: Workspace\nvalues:\n  - key: baseUrl\n    value: http://127.0.0.1:9\n    enabled: true\n');
    const collection = { info: { name: 'c' }, item: [{ name: 'r', request: { method: 'GET', url: '{{baseUrl}}/me' } }] };
    const check = (globals?: string) =>
      checkUrlVariables({ collection, plan: toNewmanRunOptions(globals ? { globals } : {}), environment: {}, userNames: [], allow: false, logger: silentLogger });
    await expect(check(file)).resolves.toEqual([]);
    await expect(check()).rejects.toMatchObject({ code: 'VARIABLE_UNDEFINED' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('YAML that does not parse: exit 2 naming the file, line and column, without quoting the text', async () => {
  // `value: a: b`: a mapping where a plain value was meant (a colon in an unquoted value).
  const yaml = 'name: Broken\nvalues:\n  - key: apiKey\n    value: s3cret: in-the-file\n    enabled: true\n';
  const e = await usageErrorOf(() => parseVariableScope(yaml, 'Broken.environment.yaml', 'environment'));
  expect(e.code).toBe('ENVIRONMENT_INVALID');
  expect(e.message).toMatch(/^The environment Broken\.environment\.yaml is not valid YAML: line 4, column \d+: bad indentation of a mapping entry\.$/);
  expect(e.message).not.toContain('s3cret');
});

test('a wrong shape names the field and its line, never the value', async () => {
  const cases: Array<[string, RegExp]> = [
    ['- key: a\n  value: b\n', /is not a Postman environment: line 1, the file must be a map with "name" and "values" \(found a list\)/],
    ['name: X\nvalues:\n  key: a\n', /line 2, values must be a list/],
    ['name: X\nvalues:\n  - key: a\n    value: b\n  - value: s3cret-value\n', /line 5, values\[1\]\.key must be a non-empty text/],
    ['name: X\nvalues:\n  - key: a\n    value: s3cret-value\n    type: [secret]\n', /line 5, values\[0\]\.type must be text \(default or secret\)/],
    ['name: X\nvalues:\n  - key: a\n    value: s3cret-value\n    enabled: "yes"\n', /line 5, values\[0\]\.enabled must be true or false/],
    ['name: X\nvalues:\n  - key: a\n    value:\n      nested: s3cret-value\n', /line 4, values\[0\]\.value must be text \(found a map\)/],
  ];
  for (const [yaml, expected] of cases) {
    const e = await usageErrorOf(() => parseVariableScope(yaml, 'X.environment.yaml', 'environment'));
    expect(e.message, yaml).toMatch(expected);
    expect(e.message).toContain('X.environment.yaml');
    expect(e.message).not.toContain('s3cret');
  }
  const g = await usageErrorOf(() => parseVariableScope('{"values": {"a": 1}}', 'g.postman_globals.json', 'globals'));
  expect(g.message).toBe('The globals file g.postman_globals.json is not a Postman globals file: values must be a list of {key, value, enabled, type}.');
});

test('lines are found in the block style Postman writes and in a list written flush left', async () => {
  const flush = 'name: X\nvalues:\n- key: a\n  value: b\n- key: b\n  # a comment\n  value:\n    - s3cret-value\n';
  const e = await usageErrorOf(() => parseVariableScope(flush, 'X.environment.yaml', 'environment'));
  expect(e.message).toContain('line 7, values[1].value must be text (found a list)');
});

test('JSON that does not parse is a usage error naming the file', async () => {
  const e = await usageErrorOf(() => parseVariableScope('{"values": [', 'dev.postman_environment.json', 'environment'));
  expect(e.message).toBe('The environment dev.postman_environment.json is not valid JSON.');
});
