// Sign-in factors of a test user beyond the password (issue 18): which factor it signs in with,
// its passkey credential, and where its one-time codes arrive. Parsed and checked once, before any
// browser starts, so a mistyped value is an exit 2 naming the variable (never echoing a secret).
import type { PasskeyCredential } from 'cognito-newman-common/passkey-credential';
import { registerSecret } from '../log.js';

/** How a user signs in first (Managed Login's choice-based sign-in, cognito-reference 3.2). */
export type SignInFactor = 'password' | 'passkey' | 'email' | 'sms';
export const SIGN_IN_FACTORS: readonly SignInFactor[] = ['password', 'passkey', 'email', 'sms'];

/** A passkey as the tool stores it: the credential JSON the emulator and Playwright share. */
export type { PasskeyCredential };

/** Where one user's one-time codes arrive. */
export type CodeSource =
  /** SES email receiving: raw MIME objects under s3://bucket/prefix. */
  | { kind: 's3'; bucket: string; prefix: string; display: string }
  /** An IMAP mailbox (imaps:// for TLS); the password is a secret kept apart. */
  | { kind: 'imap'; host: string; port: number; secure: boolean; user: string; mailbox: string; password?: string; display: string }
  /** Mailpit's HTTP API (an SMTP capture), e.g. mailpit+http://127.0.0.1:8025. */
  | { kind: 'mailpit'; baseUrl: string; display: string }
  /** A command whose stdout holds the code (run through the shell, with the user in its environment). */
  | { kind: 'command'; command: string; display: string }
  /** A local directory (one file per message, as the emulator's and many SMS sinks write) or a single file. */
  | { kind: 'file'; path: string; display: string };

/** The three ways a value may be written for a directory: `file:///x`, `dir:/x`, or a plain absolute path. */
const FILE_PREFIX = /^(file:\/\/|dir:|file:)/i;

/**
 * Parse a `TEST_USER_CODE_SOURCE`-style value. Returns the source, or a problem (text that names no
 * secret: a URL's password is never echoed). `password` is the separately configured mailbox secret.
 */
export function parseCodeSource(raw: string, password?: string): { source?: CodeSource; problem?: string } {
  const value = raw.trim();
  const lower = value.toLowerCase();
  if (lower.startsWith('command:')) {
    const command = value.slice('command:'.length).trim();
    if (!command) return { problem: 'command: needs the command to run, e.g. command:./read-code.sh' };
    // The command itself is shown (it is configuration); what it prints is not.
    return { source: { kind: 'command', command, display: `command "${command}"` } };
  }
  if (FILE_PREFIX.test(value) || value.startsWith('/') || value.startsWith('./') || value.startsWith('../')) {
    let path = value;
    if (lower.startsWith('file://')) {
      try {
        path = decodeURIComponent(new URL(value).pathname);
      } catch {
        return { problem: 'is not a valid file:// URL (write file:///absolute/path or a plain path)' };
      }
    } else if (lower.startsWith('dir:')) path = value.slice(4);
    else if (lower.startsWith('file:')) path = value.slice(5);
    if (!path) return { problem: 'names no file or directory' };
    return { source: { kind: 'file', path, display: `the local path ${path}` } };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: 'must be s3://bucket/prefix, imap(s)://user@host:port/INBOX, mailpit+http://host:port, command:<command> or a local path' };
  }
  const scheme = url.protocol.replace(/:$/, '').toLowerCase();
  switch (scheme) {
    case 's3': {
      if (!url.hostname) return { problem: 's3:// needs a bucket: s3://bucket/prefix' };
      const prefix = decodeURIComponent(url.pathname.replace(/^\//, ''));
      return { source: { kind: 's3', bucket: url.hostname, prefix, display: `s3://${url.hostname}/${prefix}` } };
    }
    case 'imap':
    case 'imaps': {
      const secure = scheme === 'imaps';
      if (!url.hostname) return { problem: `${scheme}:// needs a host: ${scheme}://user@host:port/INBOX` };
      const user = decodeURIComponent(url.username);
      if (!user) return { problem: `${scheme}:// needs the mailbox user: ${scheme}://user@host:port/INBOX` };
      // A password written in the URL is accepted (some keep it in a secret-typed variable) but never shown.
      const inline = url.password ? decodeURIComponent(url.password) : undefined;
      registerSecret(inline);
      const pass = password ?? inline;
      const port = url.port ? Number(url.port) : secure ? 993 : 143;
      const mailbox = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX';
      const display = `${scheme}://${user}@${url.hostname}:${port}/${mailbox}`;
      return { source: { kind: 'imap', host: url.hostname, port, secure, user, mailbox, ...(pass ? { password: pass } : {}), display } };
    }
    case 'mailpit+http':
    case 'mailpit+https':
    case 'mailpit': {
      const proto = scheme === 'mailpit+https' ? 'https' : 'http';
      if (!url.host) return { problem: 'mailpit+http:// needs the host and port of Mailpit\'s web/API server, e.g. mailpit+http://127.0.0.1:8025' };
      const path = url.pathname.replace(/\/+$/, '');
      const baseUrl = `${proto}://${url.host}${path}`;
      return { source: { kind: 'mailpit', baseUrl, display: `Mailpit at ${baseUrl}` } };
    }
    default:
      return { problem: `has the unknown scheme "${scheme}:" (use s3://, imap://, imaps://, mailpit+http://, command: or a local path)` };
  }
}

/**
 * A passkey credential from its JSON (the value `passkey enroll` prints). Accepts Playwright's own
 * `credentials.get()` shape too. Problems never quote the value: it holds a private key.
 */
export function parsePasskey(raw: string | Record<string, unknown>): { passkey?: PasskeyCredential; problem?: string } {
  let json: unknown = raw;
  if (typeof raw === 'string') {
    registerSecret(raw);
    try {
      json = JSON.parse(raw);
    } catch {
      return { problem: 'is not JSON (store the exact output of `cognito-newman passkey enroll`)' };
    }
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { problem: 'must be a JSON object (the output of `cognito-newman passkey enroll`)' };
  const o = json as Record<string, unknown>;
  const b64url = /^[A-Za-z0-9_-]+$/;
  const missing = ['id', 'rpId', 'userHandle', 'privateKey', 'publicKey'].filter((k) => typeof o[k] !== 'string' || !(o[k] as string).trim());
  if (missing.length) return { problem: `lacks ${missing.map((k) => `"${k}"`).join(', ')} (store the whole output of \`cognito-newman passkey enroll\`)` };
  const s = (k: string) => (o[k] as string).trim();
  registerSecret(s('privateKey'));
  const bad = ['id', 'userHandle', 'privateKey', 'publicKey'].filter((k) => !b64url.test(s(k)));
  if (bad.length) return { problem: `has ${bad.map((k) => `"${k}"`).join(', ')} not in base64url` };
  const rpId = s('rpId').toLowerCase();
  if (!/^[a-z0-9.-]+$/.test(rpId)) return { problem: '"rpId" must be a domain name (the relying party id, e.g. auth.example.com)' };
  const passkey: PasskeyCredential = { id: s('id'), rpId, userHandle: s('userHandle'), privateKey: s('privateKey'), publicKey: s('publicKey') };
  const count = o.signCount ?? o.counter;
  if (typeof count === 'number' && Number.isInteger(count) && count >= 0 && count <= 0xffffffff) passkey.signCount = count;
  return { passkey };
}

/**
 * The factor a user signs in with when none is configured: what its secrets make possible. A
 * password wins (it is what the pool most likely expects), then a passkey, then a code source
 * (email: a source cannot tell email from SMS, and a factor choice falls back to SMS anyway).
 */
export function defaultFactor(u: { password?: string | undefined; passkey?: PasskeyCredential | undefined; codeSource?: CodeSource | undefined }): SignInFactor {
  if (u.password) return 'password';
  if (u.passkey) return 'passkey';
  if (u.codeSource) return 'email';
  // Nothing yet: a password is what is missing (the message also names the passwordless options).
  return 'password';
}

/** The sign-in factor as configured (`password`, `passkey`, `email`, `sms`; a few synonyms). */
export function parseFactor(raw: string): SignInFactor | undefined {
  const v = raw.trim().toLowerCase().replace(/[\s-]+/g, '_');
  const map: Record<string, SignInFactor> = {
    password: 'password',
    passkey: 'passkey',
    web_authn: 'passkey',
    webauthn: 'passkey',
    email: 'email',
    email_otp: 'email',
    sms: 'sms',
    sms_otp: 'sms',
  };
  return map[v];
}
