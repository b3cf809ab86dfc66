// Redaction for everything a Newman run writes: reports, exported variables, the console. Tokens
// and secrets become the marker however they are encoded, wrapped or embedded, whatever the reporter.
import { REDACTED, registeredSecretCount, registeredSecrets, secretsGeneration } from '../log.js';
import { escapeHandlebars, escapeHtml, escapeXml } from 'cognito-newman-common/escape';

/** Shorter values would mask ordinary words (log.ts uses the same floor). */
const MIN_SECRET_LENGTH = 4;
/**
 * Newman's cli reporter wraps long text (console output, verbose bodies, failure tables) at the
 * terminal width, cutting a token into pieces; a piece of a secret at least this long is masked too.
 */
const FRAGMENT_LENGTH = 12;

/** A compact JWS/JWE (RFC 7515 §7.1, RFC 7516 §7.1): base64url JSON header `eyJ...`, then dot-separated parts. */
const JWT = /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){0,3}/g;
/** A bearer credential that starts like a JWT, even cut short by wrapping. */
const BEARER_JWT = /\b(Bearer)\s+eyJ[A-Za-z0-9_.-]*/gi;
/** `Authorization: <scheme> <credentials>` in text (raw HTTP, JSON maps, logs). */
const AUTH_HEADER_TEXT =
  /(\b(?:proxy-)?authorization["']?\s*[:=]\s*["']?)((?:bearer|basic|digest|negotiate)\s+)?(?!\[REDACTED\])(?!(?:bearer|basic|digest|negotiate)\b)[^\s"'<>,;]+/gi;
/** Header objects whose value is a credential, in any structured report. */
const CREDENTIAL_HEADER = /^(?:proxy-)?authorization$/i;


/** A secret as it can appear in a report: raw, URL-encoded, JSON-escaped, HTML- or XML-escaped. */
export function secretVariants(secret: string): string[] {
  const out = new Set<string>([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), escapeHandlebars(secret), escapeHtml(secret), escapeXml(secret)]);
  return [...out].filter((v) => v.length >= MIN_SECRET_LENGTH);
}

export interface Redactor {
  /** The values this redactor hides (every variant), longest first. */
  readonly secrets: readonly string[];
  /** Text with every secret, JWT, bearer credential and Authorization header value replaced by the marker. */
  text(text: string): string;
  /** A deep copy of `value` with every string redacted and every Authorization header value replaced. */
  value<T>(value: T): T;
  /** A newman export (`{ content }` of the export queue): JSON strings stay JSON, other text stays text. */
  content(content: unknown): unknown;
}

/**
 * Secrets with their variants and the FRAGMENT_LENGTH-long pieces of the long ones, built up one
 * secret at a time. Each secret's work is done once, when it is added: a long-lived process (the
 * library, the Playwright fixture, the bench) registers every token it ever saw, and rebuilding
 * this for each run cost ~250 ms once a few hundred tokens were known.
 */
class SecretIndex {
  private readonly variantSet = new Set<string>();
  private readonly raw = new Set<string>();
  /** Piece -> the long variants that contain it (almost always one). */
  readonly grams = new Map<string, string[]>();
  private sorted: string[] | undefined;
  version = 0;

  has(secret: string): boolean {
    return this.raw.has(secret);
  }

  add(secret: string): void {
    if (secret.length < MIN_SECRET_LENGTH || this.raw.has(secret)) return;
    this.raw.add(secret);
    for (const v of secretVariants(secret)) {
      if (this.variantSet.has(v)) continue;
      this.variantSet.add(v);
      if (v.length <= FRAGMENT_LENGTH) continue;
      for (let i = 0; i + FRAGMENT_LENGTH <= v.length; i++) {
        const gram = v.slice(i, i + FRAGMENT_LENGTH);
        const owners = this.grams.get(gram);
        if (!owners) this.grams.set(gram, [v]);
        else if (!owners.includes(v)) owners.push(v);
      }
    }
    this.sorted = undefined;
    this.version++;
  }

  /** Every variant, longest first. */
  get variants(): readonly string[] {
    this.sorted ??= [...this.variantSet].sort((a, b) => b.length - a.length);
    return this.sorted;
  }
}

/** The index of the process's registered secrets (log.ts), kept in step with the registry. */
let processIndex = new SecretIndex();
let indexedGeneration = -1;
let indexedCount = 0;

function syncedProcessIndex(): SecretIndex {
  const generation = secretsGeneration();
  if (generation !== indexedGeneration) {
    // clearSecrets() (tests) starts a new registry: redactors built before keep the old index.
    processIndex = new SecretIndex();
    indexedGeneration = generation;
    indexedCount = 0;
  }
  if (registeredSecretCount() === indexedCount) return processIndex;
  const all = registeredSecrets();
  // The registry only grows between clears, in insertion order: only the tail is new.
  for (let i = indexedCount; i < all.length; i++) processIndex.add(all[i]!);
  indexedCount = all.length;
  return processIndex;
}

const mergeLongestFirst = (a: readonly string[], b: readonly string[]): string[] => {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.length >= b[j]!.length)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
};

/**
 * A redactor for the secrets registered in the process (log.ts registerSecret) plus `extra`
 * (the run's tokens). Secrets registered after it was built are hidden too, from its next call on.
 */
export function createRedactor(extra: Iterable<string | undefined> = []): Redactor {
  const shared = syncedProcessIndex();
  const local = new SecretIndex();
  for (const s of extra) if (typeof s === 'string' && !shared.has(s)) local.add(s);

  let merged: { sharedVersion: number; list: string[] } | undefined;
  const secretList = (): readonly string[] => {
    if (local.version === 0) return shared.variants;
    if (!merged || merged.sharedVersion !== shared.version) merged = { sharedVersion: shared.version, list: mergeLongestFirst(shared.variants, local.variants) };
    return merged.list;
  };
  const ownersOf = (gram: string): string[] | undefined => {
    const a = shared.grams.get(gram);
    const b = local.version ? local.grams.get(gram) : undefined;
    return a && b ? [...a, ...b] : (a ?? b);
  };

  const maskFragments = (text: string): string => {
    if ((shared.grams.size === 0 && local.grams.size === 0) || text.length < FRAGMENT_LENGTH) return text;
    let out = '';
    let copied = 0;
    let i = 0;
    while (i + FRAGMENT_LENGTH <= text.length) {
      const owners = ownersOf(text.slice(i, i + FRAGMENT_LENGTH));
      if (!owners) {
        i++;
        continue;
      }
      // Grow the piece while it is still part of one secret (one of those holding its first piece).
      let end = i + FRAGMENT_LENGTH;
      while (end < text.length) {
        const next = text.slice(i, end + 1);
        if (!owners.some((s) => s.includes(next))) break;
        end++;
      }
      out += text.slice(copied, i) + REDACTED;
      copied = end;
      i = end;
    }
    return copied === 0 ? text : out + text.slice(copied);
  };

  const text = (input: string): string => {
    if (!input) return input;
    if (shared === processIndex) syncedProcessIndex();
    let out = input;
    for (const s of secretList()) if (out.includes(s)) out = out.split(s).join(REDACTED);
    out = out.replace(JWT, REDACTED);
    out = out.replace(BEARER_JWT, `$1 ${REDACTED}`);
    out = out.replace(AUTH_HEADER_TEXT, (_m, head: string, scheme: string | undefined) => `${head}${scheme ?? ''}${REDACTED}`);
    return maskFragments(out);
  };

  const value = <T>(input: T): T => walk(input) as T;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return text(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      // A body serialised as Buffer JSON (newman's json report keeps response streams that way).
      if (o.type === 'Buffer' && Array.isArray(o.data) && o.data.every((b) => typeof b === 'number')) {
        const decoded = Buffer.from(o.data as number[]).toString('utf8');
        const clean = text(decoded);
        return clean === decoded ? { ...o, data: [...(o.data as number[])] } : { ...o, data: [...Buffer.from(clean, 'utf8')] };
      }
      const isCredentialHeader = typeof o.key === 'string' && CREDENTIAL_HEADER.test(o.key) && 'value' in o;
      const out: Record<string, unknown> = {};
      for (const [k, child] of Object.entries(o)) {
        if ((isCredentialHeader && k === 'value') || (CREDENTIAL_HEADER.test(k) && typeof child === 'string')) out[k] = REDACTED;
        else out[k] = walk(child);
      }
      return out;
    }
    return v;
  };

  const content = (c: unknown): unknown => {
    if (typeof c !== 'string') return value(c);
    const trimmed = c.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        return JSON.stringify(value(JSON.parse(c) as unknown), null, 2);
      } catch {
        // Not JSON after all: redact as text.
      }
    }
    return text(c);
  };

  return {
    get secrets() {
      return secretList();
    },
    text,
    value,
    content,
  };
}

type Write = (chunk: string) => void;

/**
 * Route `stream.write` through the redactor until the returned function is called. Text is held
 * until a line is complete so a secret split across two writes is still found; what remains is
 * flushed on restore. `sink` receives the redacted text (default: the stream's own write).
 */
export function interceptStream(stream: NodeJS.WriteStream, redactor: Redactor, sink?: Write): () => void {
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = stream.write;
  const out: Write = sink ?? ((s) => void original.call(stream, s));
  let pending = '';
  const patched = function (chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
    const text =
      typeof chunk === 'string'
        ? chunk
        : Buffer.from(chunk as Uint8Array).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    pending += text;
    const nl = pending.lastIndexOf('\n');
    if (nl !== -1) {
      out(redactor.text(pending.slice(0, nl + 1)));
      pending = pending.slice(nl + 1);
    }
    const callback = typeof encoding === 'function' ? encoding : typeof cb === 'function' ? cb : undefined;
    if (callback) process.nextTick(callback as () => void);
    return true;
  };
  stream.write = patched as typeof stream.write;
  return () => {
    if (stream.write === patched) stream.write = original;
    if (pending) out(redactor.text(pending));
    pending = '';
  };
}
