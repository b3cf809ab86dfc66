// Codes from a command the team already has (a script reading their SMS provider's API, a CLI for
// their mail catcher): run through the shell, it prints the code (or a message holding it) on
// stdout, or nothing yet. It learns who the code is for and since when from its environment.
import { spawn } from 'node:child_process';
import type { CodeSource } from '../config/factors.js';
import { SourceError, type CodeReader, type ReaderContext } from './reader.js';

type CommandSource = Extract<CodeSource, { kind: 'command' }>;

const MAX_OUTPUT = 64 * 1024;

function run(source: CommandSource, ctx: ReaderContext, since: Date): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(source.command, {
      shell: true,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: {
        ...ctx.env,
        COGNITO_NEWMAN_CODE_USERNAME: ctx.username,
        COGNITO_NEWMAN_CODE_ADDRESS: ctx.address ?? '',
        COGNITO_NEWMAN_CODE_SINCE: since.toISOString(),
      },
      timeout: ctx.requestTimeoutMs,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += d.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

export function commandReader(source: CommandSource, ctx: ReaderContext): CodeReader {
  let since = new Date();
  let n = 0;
  return {
    async baseline(at) {
      since = new Date(at);
    },
    async poll() {
      let r: { code: number | null; stdout: string };
      try {
        r = await run(source, ctx, since);
      } catch (e) {
        throw new SourceError(`${source.display} could not be started (${(e as NodeJS.ErrnoException).code ?? 'error'})`, true, 'Check the command and that it is on PATH.');
      }
      if (r.code === 127 || r.code === 126) {
        throw new SourceError(`${source.display} was not found or is not executable (exit ${r.code})`, true, 'Check the command, its path and its execute permission.');
      }
      // Non-zero, or nothing printed: no code yet.
      if (r.code !== 0 || !r.stdout.trim()) return [];
      n += 1;
      return [{ key: `run-${n}`, to: ctx.address ? [ctx.address.toLowerCase()] : [], at: new Date(), text: r.stdout }];
    },
    async probe() {
      // A command cannot be probed without asking it for a code; check that the shell finds it.
      const first = source.command.trim().split(/\s+/, 1)[0] ?? '';
      const r = await run({ ...source, command: `command -v ${JSON.stringify(first).replace(/^"|"$/g, "'")} >/dev/null` }, ctx, since).catch(() => ({ code: 127, stdout: '' }));
      if (r.code !== 0) throw new SourceError(`${source.display}: "${first}" is not found on PATH`, true, 'Check the command and its path.');
    },
    async close() {},
  };
}
