// Bench figure of issue 13: the public library's runCollection (src/index.ts), tokens injected from
// getTokens, in-process against a bare newman.run of the same demo collection, interleaved. Goal:
// at most 50 ms more. It runs after the sign-in figures in a full bench, in a process that has seen
// every token of them: the redactor once rebuilt all of those tokens' pieces per run (~250 ms).
import { join } from 'node:path';
import { getTokens, runCollection } from '../../src/index.js';
import { registeredSecrets } from '../../src/log.js';

export interface LibraryBenchInput {
  /** The emulator's configuration variables for users admin and reader. */
  settings: Record<string, string>;
  collection: string;
  apiBaseUrl: string;
  workDir: string;
  runs: number;
  /** bench.ts's interleaved measurement (A B, A B, ...), so both figures share the machine's drift. */
  measureInterleaved: (variants: { key: string; label: string; fn: () => Promise<unknown> }[], runs: number) => Promise<number[]>;
  /** A bare newman.run of `collection` with the same variables. */
  bareRun: (envVar: { key: string; value: string }[]) => Promise<void>;
}

export interface LibraryBenchResult {
  bareLibrary: number;
  library: number;
}

export async function benchLibraryRun(input: LibraryBenchInput): Promise<LibraryBenchResult> {
  const tokens = await getTokens({ settings: input.settings, env: {}, cache: false, users: ['admin', 'reader'] });
  // What the library injects, given to bare Newman by hand: the same variables, the same values.
  const envVar = [
    ...Object.values(tokens).flatMap((t) => [
      { key: `${t.user}_accessToken`, value: t.accessToken },
      { key: `${t.user}_idToken`, value: t.idToken ?? '' },
    ]),
    { key: 'baseUrl', value: input.apiBaseUrl },
  ];
  process.stderr.write(`  (this process has ${registeredSecrets().length} secrets registered)\n`);
  const [bareLibrary, library] = await input.measureInterleaved(
    [
      { key: 'bareLibrary', label: 'bare newman.run in-process, demo collection (library comparison)', fn: () => input.bareRun(envVar) },
      {
        key: 'library',
        label: "library runCollection in-process, tokens from getTokens (import from 'cognito-newman')",
        fn: async () => {
          const r = await runCollection(input.collection, { tokens, envVar: { baseUrl: input.apiBaseUrl }, reporters: [], reportsDir: join(input.workDir, 'library') });
          if (r.exitCode !== 0) throw new Error('the demo collection failed through the library');
        },
      },
    ],
    input.runs,
  );
  return { bareLibrary: bareLibrary!, library: library! };
}
