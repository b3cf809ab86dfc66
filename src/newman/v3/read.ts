// Reading a v3 collection folder into a v2.1 collection object (INTERFACE: body being written).
import type { CollectionJson } from '../auth-block.js';

export interface V3ReadOptions {
  /**
   * How file references (formdata file parts, file bodies) are written: `absolute` (default, for a
   * run) or relative to this directory (for `convert`, so the JSON stays portable).
   */
  relativeTo?: string;
}

export interface V3ReadResult {
  /** The collection as a Postman v2.1 JSON object (what `loadCollection` returns for a JSON file). */
  collection: CollectionJson;
  /** One line each: what Postman would drop silently, skipped request kinds, what 2.1 cannot express. */
  warnings: string[];
}

/** Read the v3 collection folder `dir`. Bad input rejects with a usage error (exit 2) naming the file and line. */
export async function readV3Collection(dir: string, options: V3ReadOptions = {}): Promise<V3ReadResult> {
  void dir;
  void options;
  throw new Error('readV3Collection: not implemented yet');
}

/** The v2.1 equivalent of the v3 folder `dir` (what `cognito-newman convert` writes). */
export async function convertV3ToV21(dir: string, options: V3ReadOptions = {}): Promise<V3ReadResult> {
  return readV3Collection(dir, options);
}
