// Whether a path names a v3 collection: a directory is read as one (the collection's folder, or any
// folder with *.request.yaml files below it); a 2.1 JSON file or a URL is not.
import { stat } from 'node:fs/promises';

const isUrl = (s: string) => /^https?:\/\//i.test(s);

/** True when `path` is a local directory: `run` and `convert` then read it as a v3 collection. */
export async function isV3CollectionPath(path: string): Promise<boolean> {
  if (isUrl(path)) return false;
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
