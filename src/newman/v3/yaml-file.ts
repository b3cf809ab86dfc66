// One YAML file of a v3 collection, parsed with its line numbers kept, so every problem found in it
// (a parse error, a missing `$kind`, an unknown key) can name the file and the line.
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';

/** A problem in one file: where it is, what is wrong. */
export class V3Problem extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly problem: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${problem}`);
  }
}

export interface YamlFile {
  /** Absolute path. */
  path: string;
  /** Path as shown to the user: relative to the folder they gave. */
  shown: string;
  data: Record<string, unknown>;
  /** Line (1-based) of a top-level key, for messages. */
  lineOf(key: string): number | undefined;
}

/** Read and parse `path`; a file that does not parse, or whose top level is not a map, is a V3Problem. */
export async function readYamlFile(path: string, root: string): Promise<YamlFile> {
  const shown = relative(root, path) || path;
  const text = await readFile(path, 'utf8');
  const lineCounter = new LineCounter();
  // YAML 1.2 (the library's default): `no`/`yes`/`on` stay strings, as Postman writes them unquoted.
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = first.linePos?.[0]?.line;
    throw new V3Problem(shown, line, `the YAML does not parse (${first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')})`);
  }
  const contents = doc.contents;
  if (!isMap(contents)) throw new V3Problem(shown, 1, 'the file is not a YAML map of keys (expected `$kind: ...` and the other fields)');
  const data = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  return {
    path,
    shown,
    data,
    lineOf: (key) => {
      const pair = contents.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      const range = (pair?.key as { range?: [number, number, number] } | null)?.range;
      return range ? lineCounter.linePos(range[0]).line : undefined;
    },
  };
}
