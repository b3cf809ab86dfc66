// `--shard i/n`: split a Postman collection's top-level folders across n runners, deterministically
// and balanced by request count, so a GitHub Actions matrix can run one shard per job.
import { usageError } from '../errors.js';

/** An item of a Postman v2.1 collection: a folder when it has `item`, otherwise a request. */
export interface CollectionItemJson {
  name?: string;
  item?: CollectionItemJson[];
  [key: string]: unknown;
}

/** The parts of a Postman v2.1 collection JSON that sharding reads; everything else is carried over. */
export interface CollectionJson {
  info?: { name?: string; [key: string]: unknown };
  item?: CollectionItemJson[];
  [key: string]: unknown;
}

/** One shard of n, 1-based, as given on the command line (`--shard 2/3`). */
export interface ShardSpec {
  index: number;
  total: number;
}

/** What one shard runs: the folders it was given (in collection order) and how many requests they hold. */
export interface ShardPlan {
  index: number;
  total: number;
  /** Names of the top-level folders assigned to this shard, in collection order. */
  folders: string[];
  /** Top-level requests outside any folder assigned here (only ever shard 1). */
  looseRequests: number;
  /** Requests this shard runs, counted recursively. */
  requests: number;
  /** Positions in the collection's top-level `item` array that this shard runs. */
  itemIndexes: number[];
}

/** GitHub Actions allows at most 256 jobs per matrix; more shards than that cannot run anyway. */
export const MAX_SHARDS = 256;

const SHARD_HINT =
  'Use --shard i/n with whole numbers and 1 <= i <= n, for example --shard 1/2 on one runner and --shard 2/2 on another.';

/**
 * Parse `--shard i/n` (1-based, like Playwright's and Jest's `--shard`). Anything else, including
 * `0/2`, `3/2`, `1/0`, `1.5/2` and more than {@link MAX_SHARDS} shards, is an exit-2 `SHARD_INVALID`.
 */
export function parseShard(spec: string): ShardSpec {
  const m = /^\s*(\d{1,6})\s*\/\s*(\d{1,6})\s*$/.exec(spec);
  if (!m) {
    throw usageError('SHARD_INVALID', `--shard "${spec}" is not of the form i/n.`, {
      hint: SHARD_HINT,
      details: { expected: 'i/n', actual: spec },
    });
  }
  const shard = { index: Number(m[1]), total: Number(m[2]) };
  assertShard(shard, spec);
  return shard;
}

function assertShard(shard: ShardSpec, shown = `${shard.index}/${shard.total}`): void {
  const { index, total } = shard;
  if (!Number.isInteger(total) || total < 1 || total > MAX_SHARDS) {
    throw usageError('SHARD_INVALID', `--shard "${shown}": the shard count must be from 1 to ${MAX_SHARDS}.`, {
      hint: SHARD_HINT,
      details: { expected: `1..${MAX_SHARDS}`, actual: total },
    });
  }
  if (!Number.isInteger(index) || index < 1 || index > total) {
    throw usageError('SHARD_INVALID', `--shard "${shown}": the shard index must be from 1 to ${total}.`, {
      hint: SHARD_HINT,
      details: { expected: `1..${total}`, actual: index },
    });
  }
}

const isFolder = (item: CollectionItemJson): boolean => Array.isArray(item.item);

/** Requests under an item, recursively; a request counts 1, an empty folder 0. */
export function countRequests(item: CollectionItemJson): number {
  if (!isFolder(item)) return 1;
  let n = 0;
  for (const child of item.item ?? []) n += countRequests(child);
  return n;
}

/**
 * Assign every top-level item of the collection to one of `total` shards.
 *
 * Folders are placed by greedy longest-processing-time: heaviest folder first (ties keep collection
 * order), each onto the shard with the fewest requests so far (ties go to the lowest shard number).
 * Top-level requests that sit in no folder all go to shard 1 and count towards its load, so
 * collection-level smoke requests run exactly once. The same collection and count always give the
 * same plan, on every runner, which is what lets n independent jobs agree without talking.
 */
export function planShards(collection: CollectionJson, total: number): ShardPlan[] {
  assertShard({ index: 1, total });
  const items = collection.item ?? [];
  const plans: ShardPlan[] = Array.from({ length: total }, (_, i) => ({
    index: i + 1,
    total,
    folders: [],
    looseRequests: 0,
    requests: 0,
    itemIndexes: [],
  }));
  const first = plans[0]!;
  const folders: { at: number; weight: number }[] = [];
  items.forEach((item, at) => {
    if (isFolder(item)) {
      folders.push({ at, weight: countRequests(item) });
    } else {
      first.itemIndexes.push(at);
      first.looseRequests += 1;
      first.requests += 1;
    }
  });
  // Array.prototype.sort is stable (ES2019), so equal weights keep collection order.
  folders.sort((a, b) => b.weight - a.weight);
  for (const f of folders) {
    let target = first;
    for (const p of plans) if (p.requests < target.requests) target = p;
    target.itemIndexes.push(f.at);
    target.requests += f.weight;
  }
  for (const p of plans) {
    p.itemIndexes.sort((a, b) => a - b);
    p.folders = p.itemIndexes.filter((at) => isFolder(items[at]!)).map((at) => items[at]!.name ?? `#${at + 1}`);
  }
  return plans;
}

/**
 * The part of `collection` that shard `shard.index` of `shard.total` runs: a deep copy keeping the
 * collection's info, auth, events and variables, with only this shard's top-level items, in their
 * original order. A shard that got nothing (more shards than folders) gets an empty `item` list and
 * `folders: []`; the caller should say so rather than treat it as an error.
 */
export function shardCollection<C extends CollectionJson>(
  collection: C,
  shard: ShardSpec,
): { collection: C; folders: string[]; requests: number } {
  assertShard(shard);
  const plan = planShards(collection, shard.total)[shard.index - 1]!;
  const items = collection.item ?? [];
  // A deep copy: the runner writes tokens into auth blocks, and the caller's object must stay as given.
  const { item: _all, ...rest } = collection;
  const copy = structuredClone(rest) as C;
  copy.item = plan.itemIndexes.map((at) => structuredClone(items[at]!));
  return { collection: copy, folders: plan.folders, requests: plan.requests };
}
