// Ctrl-C and SIGTERM are interruptions, not outages: whatever the command is doing (configuration,
// Secrets Manager, browser start, sign-in, code exchange, Newman, a refresh), one line says it was
// interrupted and where, registered clean-ups run (the browser closes, a half-written cache file
// goes), and the process exits 130 (SIGINT), 143 (SIGTERM) or 129 (SIGHUP) as shells expect.

/** Exit codes a shell reports for a process ended by these signals (128 + signal number). */
export const SIGNAL_EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
export type HandledSignal = keyof typeof SIGNAL_EXIT_CODES;

/** How long clean-ups may take before the process exits anyway (a browser closes in well under this). */
export const CLEANUP_BOUND_MS = 3_000;

let phase = 'start-up';
let received: HandledSignal | undefined;
const cleanups = new Set<() => unknown>();

/** Say what the command is doing now, for the interruption line ("while signing in user admin"). */
export function setPhase(what: string): void {
  phase = what;
}

/** The signal that interrupted the process, if one did: errors caused by the interruption are not reported. */
export function interruptedBy(): HandledSignal | undefined {
  return received;
}

/**
 * Run `fn` if the process is interrupted while it is registered (close a browser, delete a
 * temporary file). Returns the function that unregisters it.
 */
export function onInterrupt(fn: () => unknown): () => void {
  cleanups.add(fn);
  return () => void cleanups.delete(fn);
}

export interface InterruptOptions {
  write?: (line: string) => void;
  exit?: (code: number) => void;
}

/**
 * Install the handlers once per process (the CLI does, for the commands that sign in or run). A
 * second signal while cleaning up exits at once.
 */
let installed = false;

export function installInterruptHandlers(options: InterruptOptions = {}): void {
  if (installed) return;
  installed = true;
  const write = options.write ?? ((l: string) => void process.stderr.write(l));
  const exit = options.exit ?? ((c: number) => process.exit(c));
  const handle = (signal: HandledSignal) => {
    if (received) {
      exit(SIGNAL_EXIT_CODES[signal]);
      return;
    }
    received = signal;
    write(`interrupted by ${signal} while ${phase}; stopped${cleanups.size ? ' and cleaned up' : ''} (no token cache file is left half-written).\n`);
    const pending = [...cleanups].map((fn) => {
      try {
        return Promise.resolve(fn()).catch(() => undefined);
      } catch {
        return undefined;
      }
    });
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((r) => (timer = setTimeout(r, CLEANUP_BOUND_MS)));
    void Promise.race([Promise.all(pending), bound]).then(() => {
      if (timer) clearTimeout(timer);
      exit(SIGNAL_EXIT_CODES[signal]);
    });
  };
  // SIGHUP too (a closed terminal, an ssh session gone): Playwright's own handlers are off (browser.ts).
  for (const signal of Object.keys(SIGNAL_EXIT_CODES) as HandledSignal[]) process.on(signal, () => handle(signal));
}
