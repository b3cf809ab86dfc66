// Progress and diagnostics on stderr, with every registered secret masked before it is written.
// Protocol code never prints; it takes a Logger. The redactor is process-wide because a secret
// learnt anywhere (a token, a password) must be hidden everywhere (logs, reports, artifacts).
import { addMaskCommands, createMaskWriter, type MaskOptions } from './mask.js';

/** The marker that replaces a secret value wherever it would appear. */
export const REDACTED = '[REDACTED]';

const secrets = new Set<string>();
// Longest first, so a secret that contains another is masked whole; rebuilt only when one is added.
let longestFirst: string[] = [];
// Shorter strings would mask ordinary words; no real secret here is this short.
const MIN_SECRET_LENGTH = 4;

// Every value as registered (not its encodings), with how to mask it: replayed when masking starts.
const announced = new Map<string, MaskOptions | undefined>();
let maskWriter: ((value: string, options?: MaskOptions) => void) | undefined;

/**
 * In GitHub Actions, emit `::add-mask::` (mask.ts, the one writer of mask commands) for every
 * secret already known and for each one the moment it is learnt, so the runner hides it before
 * anything could print it.
 */
export function enableGithubMasking(write: (text: string) => void = (t) => void process.stdout.write(t)): void {
  maskWriter = createMaskWriter(write);
  for (const [value, options] of announced) maskWriter(value, options);
}

/**
 * Remember a value that must never be shown. Safe to call repeatedly. `options.publicKeys` names
 * the fields of a structured (JSON) secret that are no secret (the username), so GitHub Actions
 * does not mask them in the job log.
 */
export function registerSecret(value: string | undefined | null, options?: MaskOptions): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
  if (secrets.has(value)) return;
  maskWriter?.(value, options);
  announced.set(value, options);
  secrets.add(value);
  // Secrets also travel URL-encoded (query strings, form bodies).
  const enc = encodeURIComponent(value);
  if (enc !== value) secrets.add(enc);
  longestFirst = [...secrets].sort((a, b) => b.length - a.length);
}

/** The `::add-mask::` lines for every value registered so far (a run announces them before its first line). */
export function registeredMaskCommands(): string {
  return [...announced].map(([value, options]) => addMaskCommands([value], options)).join('');
}

/** Every value registered so far (for reporters that must scrub files and for leak tests). */
export function registeredSecrets(): readonly string[] {
  return [...secrets];
}

/** How many values are registered (cheap: lets an index see whether anything is new). */
export function registeredSecretCount(): number {
  return secrets.size;
}

let generation = 0;
/** Changes each time the registry is cleared, so indexes built on it know to start again. */
export function secretsGeneration(): number {
  return generation;
}

/** For tests: forget every registered secret. */
export function clearSecrets(): void {
  generation++;
  secrets.clear();
  announced.clear();
  longestFirst = [];
  maskWriter = undefined;
}

/** Replace every registered secret in `text` with the marker; longest first so overlaps vanish. */
export function redact(text: string): string {
  if (secrets.size === 0 || !text) return text;
  let out = text;
  for (const s of longestFirst) {
    if (out.includes(s)) out = out.split(s).join(REDACTED);
  }
  return out;
}

export type LogLevel = 'silent' | 'info' | 'debug';

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  debug(msg: string): void;
  readonly level: LogLevel;
  /** Where the lines go (the sign-in progress draws live lines there when it is a terminal). */
  readonly stream?: NodeJS.WritableStream;
}

/** A logger writing to a stream (stderr by default); warnings show unless silent. */
export function createLogger(level: LogLevel = 'info', stream: NodeJS.WritableStream = process.stderr): Logger {
  const write = (prefix: string, msg: string) => stream.write(`${prefix}${redact(msg)}\n`);
  return {
    level,
    stream,
    info: (msg) => {
      if (level !== 'silent') write('', msg);
    },
    warn: (msg) => {
      if (level !== 'silent') write('warning: ', msg);
    },
    debug: (msg) => {
      if (level === 'debug') write('debug: ', msg);
    },
  };
}

/** A logger that drops everything: the default for library calls and unit tests. */
export const silentLogger: Logger = createLogger('silent');
