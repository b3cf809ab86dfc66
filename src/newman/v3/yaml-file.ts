// One YAML file of a v3 collection, parsed with its line numbers at hand, so every problem found in
// it (a parse error, a missing `$kind`, an unknown key) can name the file and the line.
// js-yaml, not the `yaml` package: on this project's 2-core machines it reads a 200-request folder
// 3-4x faster (the bench's goal is < 150 ms), and it reports the line of a syntax error as well.
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { createRequire } from 'node:module';

// CommonJS; its YAML 1.2 core schema keeps `no`/`yes`/`on` strings, as Postman writes them unquoted.
const jsYaml = createRequire(import.meta.url)('js-yaml') as typeof import('js-yaml');

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
  /** Path as shown to the user: relative to the collection's folder. */
  shown: string;
  data: Record<string, unknown>;
  /** Line (1-based) of a top-level key, for messages. */
  lineOf(key: string): number | undefined;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Read and parse `path`; a file that does not parse, or whose top level is not a map, is a V3Problem. */
export async function readYamlFile(path: string, root: string): Promise<YamlFile> {
  const shown = relative(root, path) || path;
  const text = await readFile(path, 'utf8');
  let data: unknown;
  try {
    data = jsYaml.load(text, { filename: shown, schema: jsYaml.CORE_SCHEMA, json: false });
  } catch (err) {
    const e = err as { mark?: { line?: number }; reason?: string; message?: string };
    throw new V3Problem(shown, e.mark?.line === undefined ? undefined : e.mark.line + 1, `the YAML does not parse (${e.reason ?? e.message ?? 'syntax error'})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new V3Problem(shown, 1, 'the file is not a YAML map of keys (expected `$kind: ...` and the other fields)');
  }
  return {
    path,
    shown,
    data: data as Record<string, unknown>,
    // Only asked for when something is wrong: a top-level key starts a line at column 0.
    lineOf: (key) => {
      const re = new RegExp(`^(["']?)${escape(key)}\\1\\s*:`);
      const i = text.split(/\r?\n/).findIndex((l) => re.test(l));
      return i >= 0 ? i + 1 : undefined;
    },
  };
}
