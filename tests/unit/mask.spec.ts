// Unit tests of mask.ts, the one writer of `::add-mask::`: escaping, multi-line values line by line,
// structured (JSON) secrets field by field without their public keys, and each command once.
import { test, expect } from '@playwright/test';
import { addMaskCommands, createMaskWriter, maskTargets } from '../../src/mask.js';
import { runnerLog } from '../fixtures/actions-runner-log.js';

test('a value is escaped as the runner unescapes it: %, CR and LF', () => {
  expect(addMaskCommands(['ab%25c%0Ad'])).toBe('::add-mask::ab%2525c%250Ad\n');
  expect(runnerLog(`${addMaskCommands(['ab%25c%0Ad'])}x ab%25c%0Ad y`)).toBe('x *** y');
});

test('a multi-line value registers each line (trimmed, 3 characters or more) and the whole, escaped', () => {
  expect(maskTargets('line-one\r\n  line-two  \n==\nline-one')).toEqual(['line-one', 'line-two', 'line-one\r\n  line-two  \n==\nline-one']);
  expect(addMaskCommands(['first\nsecond'])).toBe('::add-mask::first\n::add-mask::second\n::add-mask::first%0Asecond\n');
});

test('a pretty-printed JSON secret registers the values of its fields, never its raw text or a public key', () => {
  const secret = JSON.stringify({ username: 'admin', password: 'p%ss-w0rd', totp: { seed: 'AB12\nCD34' }, codes: ['rc-1111', 'rc-2222'], pin: 73914, on: true }, null, 2);
  expect(maskTargets(secret, { publicKeys: ['username'] })).toEqual(['p%ss-w0rd', 'AB12', 'CD34', 'AB12\nCD34', 'rc-1111', 'rc-2222', '73914']);
  const commands = addMaskCommands([secret], { publicKeys: ['username'] });
  expect(commands.split('\n').every((l) => l === '' || l.startsWith('::add-mask::'))).toBe(true);
  expect(commands).not.toContain('admin');
  expect(runnerLog(`${commands}${secret}`)).toBe(secret.replace('p%ss-w0rd', '***').replace('AB12\\nCD34', '***\\n***').replace(/rc-\d+/g, '***').replace('73914', '***'));
});

test('text that only looks like JSON is masked as text', () => {
  expect(maskTargets('{not json}')).toEqual(['{not json}']);
  expect(maskTargets('  ')).toEqual([]);
});

test('the writer sends each command once, across values', () => {
  const out: string[] = [];
  const mask = createMaskWriter((t) => out.push(t));
  mask('alpha\nbravo');
  mask('bravo');
  mask('charlie');
  expect(out).toEqual(['::add-mask::alpha\n::add-mask::bravo\n::add-mask::alpha%0Abravo\n', '::add-mask::charlie\n']);
});
