// Unit tests of `--shard i/n`: parsing, and the deterministic, balanced split of top-level folders.
import { test, expect } from '@playwright/test';
import { CnError, ExitCode } from '../../src/errors.js';
import {
  MAX_SHARDS,
  countRequests,
  parseShard,
  planShards,
  shardCollection,
  type CollectionItemJson,
  type CollectionJson,
} from '../../src/newman/shard.js';

const req = (name: string): CollectionItemJson => ({ name, request: { method: 'GET', url: `http://127.0.0.1/${name}` } });
/** A folder holding `n` requests (nested one level when `nested`, to prove the count is recursive). */
const folder = (name: string, n: number, nested = false): CollectionItemJson => {
  const requests = Array.from({ length: n }, (_, i) => req(`${name}-${i + 1}`));
  return { name, item: nested ? [{ name: `${name}/inner`, item: requests }] : requests };
};
const collection = (...item: CollectionItemJson[]): CollectionJson => ({
  info: { name: 'c', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
  auth: { type: 'oauth2', oauth2: [{ key: 'accessToken', value: '' }] },
  event: [{ listen: 'prerequest', script: { exec: ['// collection script'] } }],
  variable: [{ key: 'base', value: 'http://127.0.0.1' }],
  item,
});
const names = (c: CollectionJson) => (c.item ?? []).map((i) => i.name);

function expectShardInvalid(fn: () => unknown): CnError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CnError);
    const err = e as CnError;
    expect(err.code).toBe('SHARD_INVALID');
    expect(err.exitCode).toBe(ExitCode.Usage);
    expect(err.hint).toContain('--shard 1/2');
    return err;
  }
  throw new Error('expected SHARD_INVALID, nothing was thrown');
}

/** A small seeded PRNG so the property tests are repeatable. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
function randomCollection(rand: () => number): CollectionJson {
  const folders = 1 + Math.floor(rand() * 12);
  const items: CollectionItemJson[] = [];
  for (let f = 0; f < folders; f++) items.push(folder(`F${f}`, Math.floor(rand() * 9), rand() < 0.3));
  if (rand() < 0.5) items.splice(Math.floor(rand() * items.length), 0, req('loose'));
  return collection(...items);
}

test.describe('parseShard', () => {
  test('reads 1-based i/n, tolerating spaces', () => {
    expect(parseShard('1/2')).toEqual({ index: 1, total: 2 });
    expect(parseShard(' 2 / 3 ')).toEqual({ index: 2, total: 3 });
    expect(parseShard('1/1')).toEqual({ index: 1, total: 1 });
    expect(parseShard(`${MAX_SHARDS}/${MAX_SHARDS}`)).toEqual({ index: MAX_SHARDS, total: MAX_SHARDS });
  });

  for (const bad of ['', '1', '2/', '/2', 'a/b', '1/2/3', '0/2', '3/2', '1/0', '0/0', '-1/2', '1.5/2', '1/2.0', '1 2', '1\\2', `1/${MAX_SHARDS + 1}`, '1/9999999']) {
    test(`rejects ${JSON.stringify(bad)} with SHARD_INVALID (exit 2)`, () => {
      const err = expectShardInvalid(() => parseShard(bad));
      expect(err.message).toContain('--shard');
    });
  }

  test('says which bound was broken', () => {
    expect(expectShardInvalid(() => parseShard('3/2')).message).toContain('index must be from 1 to 2');
    expect(expectShardInvalid(() => parseShard('1/0')).message).toContain('count must be from 1');
  });
});

test.describe('shardCollection', () => {
  test('counts requests recursively through nested folders', () => {
    expect(countRequests(folder('A', 3, true))).toBe(3);
    expect(countRequests(req('r'))).toBe(1);
    expect(countRequests({ name: 'empty', item: [] })).toBe(0);
  });

  test('balances by request count with longest-processing-time, keeping collection order within a shard', () => {
    const c = collection(folder('A', 8), folder('B', 7), folder('C', 6), folder('D', 5), folder('E', 4));
    // A(8)->1, B(7)->2, C(6)->2 (7<8), D(5)->1 (13 vs 13: lowest shard), E(4)->... 13 vs 13 -> 1.
    const one = shardCollection(c, { index: 1, total: 2 });
    const two = shardCollection(c, { index: 2, total: 2 });
    expect(one.folders).toEqual(['A', 'D', 'E']);
    expect(one.requests).toBe(17);
    expect(two.folders).toEqual(['B', 'C']);
    expect(two.requests).toBe(13);
    expect(names(one.collection)).toEqual(['A', 'D', 'E']);
  });

  test('breaks ties by collection order: equal folders alternate between shards', () => {
    const c = collection(folder('a', 1), folder('b', 1), folder('c', 1), folder('d', 1), folder('e', 1));
    expect(shardCollection(c, { index: 1, total: 2 }).folders).toEqual(['a', 'c', 'e']);
    expect(shardCollection(c, { index: 2, total: 2 }).folders).toEqual(['b', 'd']);
  });

  test('puts top-level requests outside folders on shard 1 and counts them as its load', () => {
    const c = collection(req('health'), folder('F1', 2), req('version'), folder('F2', 1));
    const plans = planShards(c, 2);
    // Shard 1 starts at 2 requests, so F1 (2) goes to shard 2; F2 (1) to shard 1 on the 2-2 tie.
    expect(names(shardCollection(c, { index: 1, total: 2 }).collection)).toEqual(['health', 'version', 'F2']);
    expect(names(shardCollection(c, { index: 2, total: 2 }).collection)).toEqual(['F1']);
    expect(plans[0]!.looseRequests).toBe(2);
    expect(plans[1]!.looseRequests).toBe(0);
    expect(plans.map((p) => p.requests)).toEqual([3, 2]);
  });

  test('gives a shard with nothing an empty collection and no folders', () => {
    const c = collection(folder('A', 2), folder('B', 1));
    const third = shardCollection(c, { index: 3, total: 3 });
    expect(third.collection.item).toEqual([]);
    expect(third.folders).toEqual([]);
    expect(third.requests).toBe(0);
    expect(third.collection.info).toEqual(c.info);
  });

  test('a single shard runs the whole collection unchanged', () => {
    const c = collection(req('r'), folder('A', 2), folder('B', 3, true));
    expect(shardCollection(c, { index: 1, total: 1 }).collection).toEqual(c);
  });

  test('keeps collection-level info, auth, events and variables, and leaves the input untouched', () => {
    const c = collection(folder('A', 2), folder('B', 2));
    const before = JSON.stringify(c);
    const { collection: part } = shardCollection(c, { index: 2, total: 2 });
    expect(part.auth).toEqual(c.auth);
    expect(part.event).toEqual(c.event);
    expect(part.variable).toEqual(c.variable);
    (part.auth as { oauth2: { value: string }[] }).oauth2[0]!.value = 'changed';
    part.item![0]!.name = 'renamed';
    expect(JSON.stringify(c)).toBe(before);
  });

  test('is deterministic: the same plan on every call and for an equal copy of the collection', () => {
    const rand = lcg(42);
    for (let round = 0; round < 50; round++) {
      const c = randomCollection(rand);
      const total = 1 + Math.floor(rand() * 5);
      const copy = JSON.parse(JSON.stringify(c)) as CollectionJson;
      for (let i = 1; i <= total; i++) {
        expect(JSON.stringify(shardCollection(c, { index: i, total }))).toBe(
          JSON.stringify(shardCollection(copy, { index: i, total })),
        );
      }
    }
  });

  test('every top-level item lands in exactly one shard, whatever the shard count', () => {
    const rand = lcg(7);
    for (let round = 0; round < 30; round++) {
      const c = randomCollection(rand); // top-level names are unique
      const all = names(c);
      for (let total = 1; total <= all.length + 2; total++) {
        const seen: (string | undefined)[] = [];
        let requests = 0;
        let ordered = true;
        for (let index = 1; index <= total; index++) {
          const part = shardCollection(c, { index, total });
          const at = names(part.collection).map((n) => all.indexOf(n));
          // Within a shard, items keep their collection order.
          ordered &&= at.every((v, i) => i === 0 || at[i - 1]! < v);
          seen.push(...names(part.collection));
          requests += part.requests;
        }
        expect(ordered).toBe(true);
        expect([...seen].sort()).toEqual([...all].sort());
        expect(requests).toBe(c.item!.reduce((n, i) => n + countRequests(i), 0));
      }
    }
  });

  test('stays within the greedy bound: shard loads differ by at most the largest folder', () => {
    const rand = lcg(2024);
    for (let round = 0; round < 100; round++) {
      const c = randomCollection(rand);
      const total = 2 + Math.floor(rand() * 4);
      const loads = planShards(c, total).map((p) => p.requests);
      const largest = Math.max(0, ...(c.item ?? []).map((i) => (Array.isArray(i.item) ? countRequests(i) : 1)));
      expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(largest);
    }
  });

  test('refuses a shard object outside its range', () => {
    const c = collection(folder('A', 1));
    expectShardInvalid(() => shardCollection(c, { index: 0, total: 2 }));
    expectShardInvalid(() => shardCollection(c, { index: 3, total: 2 }));
    expectShardInvalid(() => shardCollection(c, { index: 1, total: 0 }));
  });
});
