// What every code source offers the driver and doctor: remember what is there now, list what came
// since, say whether it answers. Each source is its own module, loaded only when a user names it
// (the AWS SDK and the IMAP client are slow to load and most runs need neither).
import type { CodeSource } from '../config/factors.js';
import type { CodeMessage } from './extract.js';
import { isInstalled, loadOptionalPackage, missingPackage, type OptionalPackage } from '../optional-packages.js';

export interface CodeReader {
  /**
   * Remember what the source held at `since` (ms): only messages that arrived later are read. The
   * baseline may finish after `since` (a client loading, a connection opening): what arrived in
   * between still counts as new, so each source compares arrival times, not just what it lists now.
   */
  baseline(since: number): Promise<void>;
  /** Messages that arrived since the baseline, newest first (any recipient; the caller filters). */
  poll(): Promise<(CodeMessage & { key: string })[]>;
  /** One cheap request proving the source answers and accepts the credentials (doctor). */
  probe(): Promise<void>;
  close(): Promise<void>;
}

/** A source failure. `fatal`: retrying cannot help (credentials refused, no such bucket). */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly fatal: boolean,
    /** What to do about it. */
    readonly fix: string,
  ) {
    super(message);
  }
}

export interface ReaderContext {
  /** For a command source: who the code is for. */
  username: string;
  address: string | undefined;
  env: NodeJS.ProcessEnv;
  /** One request's bound. */
  requestTimeoutMs: number;
  /** HTTP sources (Mailpit): the undici dispatcher (tests pass a MockAgent). */
  dispatcher?: import('undici').Dispatcher;
}

/** The reader for a configured source. */
export async function openReader(source: CodeSource, ctx: ReaderContext): Promise<CodeReader> {
  switch (source.kind) {
    // The AWS SDK's S3 client and imapflow are optional peers: a source that needs one names it (exit 5).
    case 's3':
      return (await loadOptionalPackage('@aws-sdk/client-s3', () => import('./s3.js'))).s3Reader(source, ctx);
    case 'imap':
      return (await loadOptionalPackage('imapflow', () => import('./imap.js'))).imapReader(source, ctx);
    case 'mailpit':
      return (await import('./mailpit.js')).mailpitReader(source, ctx);
    case 'command':
      return (await import('./command.js')).commandReader(source, ctx);
    case 'file':
      return (await import('./file.js')).fileReader(source);
  }
}

/** The optional package a source needs (S3's client, the IMAP client), if any. */
function packageFor(source: CodeSource): OptionalPackage | undefined {
  return source.kind === 's3' ? '@aws-sdk/client-s3' : source.kind === 'imap' ? 'imapflow' : undefined;
}

/**
 * Exit 5 naming the package, before any browser starts, when a user's code source needs an optional
 * package that is not installed (known from the configuration alone, so not after a sign-in began).
 */
export function checkCodeSourcePackages(sources: Iterable<CodeSource | undefined>): void {
  for (const source of sources) {
    const name = source && packageFor(source);
    if (name && !isInstalled(name)) throw missingPackage(name);
  }
}
