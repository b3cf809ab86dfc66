// Redaction for everything a Newman run writes: reports, exported variables, the console. Tokens
// and secrets become the marker however they are encoded, wrapped or embedded, whatever the reporter.
import { REDACTED, registeredSecrets } from '../log.js';

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

const htmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;').replace(/`/g, '&#x60;').replace(/=/g, '&#x3D;');
const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** A secret as it can appear in a report: raw, URL-encoded, JSON-escaped, HTML- or XML-escaped. */
export function secretVariants(secret: string): string[] {
  const out = new Set<string>([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), htmlEscape(secret), xmlEscape(secret)]);
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
 * A redactor for the secrets registered in the process (log.ts registerSecret) plus `extra`
 * (the run's tokens). Secrets registered later are not seen: build it once everything is known.
 */
export function createRedactor(extra: Iterable<string | undefined> = []): Redactor {
  const raw = new Set<string>();
  for (const s of [...registeredSecrets(), ...extra]) if (typeof s === 'string' && s.length >= MIN_SECRET_LENGTH) raw.add(s);
  const variants = new Set<string>();
  for (const s of raw) for (const v of secretVariants(s)) variants.add(v);
  const secrets = [...variants].sort((a, b) => b.length - a.length);

  // Every FRAGMENT_LENGTH-long piece of a long secret, so wrapped pieces can be found in one pass.
  const grams = new Set<string>();
  const longSecrets = secrets.filter((s) => s.length > FRAGMENT_LENGTH);
  for (const s of longSecrets) for (let i = 0; i + FRAGMENT_LENGTH <= s.length; i++) grams.add(s.slice(i, i + FRAGMENT_LENGTH));

  const maskFragments = (text: string): string => {
    if (grams.size === 0 || text.length < FRAGMENT_LENGTH) return text;
    let out = '';
    let copied = 0;
    let i = 0;
    while (i + FRAGMENT_LENGTH <= text.length) {
      if (!grams.has(text.slice(i, i + FRAGMENT_LENGTH))) {
        i++;
        continue;
      }
      // Grow the piece while it is still part of one secret.
      let end = i + FRAGMENT_LENGTH;
      while (end < text.length) {
        const next = text.slice(i, end + 1);
        if (!longSecrets.some((s) => s.includes(next))) break;
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
    let out = input;
    for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
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

  return { secrets, text, value, content };
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
