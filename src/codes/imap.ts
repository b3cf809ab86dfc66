// Codes from an IMAP mailbox (a team's test inbox) with imapflow, a maintained IMAP client: the
// baseline is the mailbox's UIDNEXT, so only messages delivered later are fetched; each is parsed
// as MIME. imaps:// uses TLS; imap:// stays plain (loopback test servers), STARTTLS when offered.
import { ImapFlow } from 'imapflow';
import type { CodeSource } from '../config/factors.js';
import { parseMime, type CodeMessage } from './extract.js';
import { SourceError, type CodeReader, type ReaderContext } from './reader.js';

type ImapSource = Extract<CodeSource, { kind: 'imap' }>;

export function imapReader(source: ImapSource, ctx: ReaderContext): CodeReader {
  let client: ImapFlow | undefined;
  let uidNext = 1;
  const cache = new Map<number, CodeMessage & { key: string }>();

  const wrap = (e: unknown, what: string): SourceError => {
    const err = e as { authenticationFailed?: boolean; code?: string; responseText?: string; message?: string };
    if (err.authenticationFailed || /AUTHENTICATIONFAILED|authentication failed|invalid credentials/i.test(`${err.responseText ?? ''} ${err.message ?? ''}`)) {
      return new SourceError(`${source.display} refused the credentials`, true, 'Check the mailbox user in the code source URL and its password (TEST_USER_CODE_SOURCE_PASSWORD, or "codeSourcePassword" in the user\'s secret).');
    }
    if (/mailbox.*(doesn't exist|does not exist|not found)|NONEXISTENT/i.test(`${err.responseText ?? ''} ${err.message ?? ''}`)) {
      return new SourceError(`${source.display}: the mailbox ${source.mailbox} does not exist`, true, 'Name an existing mailbox in the URL path (usually INBOX).');
    }
    return new SourceError(`${source.display}: ${what} failed (${err.code ?? 'connection error'})`, false, `Check that the IMAP server answers at ${source.host}:${source.port} (${source.secure ? 'TLS' : 'plain'}) from this machine.`);
  };
  const connect = async (): Promise<ImapFlow> => {
    if (client?.usable) return client;
    const c = new ImapFlow({
      host: source.host,
      port: source.port,
      secure: source.secure,
      auth: { user: source.user, pass: source.password ?? '' },
      logger: false,
      connectionTimeout: ctx.requestTimeoutMs,
      greetingTimeout: ctx.requestTimeoutMs,
      socketTimeout: Math.max(ctx.requestTimeoutMs, 30_000),
      // A loopback test server has no certificate worth checking; a real one is checked.
      ...(isLoopback(source.host) ? { tls: { rejectUnauthorized: false } } : {}),
    });
    // imapflow emits 'error' on socket failures; without a listener that would crash the process.
    c.on('error', () => undefined);
    try {
      await c.connect();
    } catch (e) {
      throw wrap(e, 'connecting');
    }
    client = c;
    return c;
  };
  const open = async () => {
    const c = await connect();
    try {
      return { c, box: await c.mailboxOpen(source.mailbox, { readOnly: true }) };
    } catch (e) {
      throw wrap(e, 'opening the mailbox');
    }
  };

  return {
    async baseline(since) {
      const { c, box } = await open();
      uidNext = Number(box.uidNext ?? 1);
      // Messages delivered while the connection opened are new too: step back over the last few
      // whose internal date (whole seconds) is not before the baseline.
      if (uidNext > 1) {
        try {
          const recent: number[] = [];
          for await (const m of c.fetch(`${Math.max(1, uidNext - 20)}:${uidNext - 1}`, { uid: true, internalDate: true }, { uid: true })) {
            const t = m.internalDate instanceof Date ? m.internalDate.getTime() : Number.NaN;
            if (t >= since - 1_000) recent.push(m.uid);
          }
          if (recent.length) uidNext = Math.min(...recent);
        } catch (e) {
          throw wrap(e, 'reading the newest messages');
        }
      }
    },
    async poll() {
      const { c } = await open();
      const out: (CodeMessage & { key: string })[] = [];
      try {
        // `N:*` always matches the newest message, even one below N: filter by UID again.
        for await (const msg of c.fetch(`${uidNext}:*`, { uid: true, source: true, internalDate: true }, { uid: true })) {
          if (msg.uid < uidNext) continue;
          let m = cache.get(msg.uid);
          if (!m && msg.source) {
            const parsed = await parseMime(msg.source);
            const internal = msg.internalDate instanceof Date ? msg.internalDate : undefined;
            const at = internal ?? parsed.at;
            m = { ...parsed, ...(at ? { at } : {}), key: String(msg.uid) };
            cache.set(msg.uid, m);
          }
          if (m) out.push(m);
        }
      } catch (e) {
        throw wrap(e, 'fetching messages');
      }
      return out.reverse();
    },
    async probe() {
      await open();
    },
    async close() {
      const c = client;
      client = undefined;
      await c?.logout().catch(() => c.close());
    },
  };
}

const isLoopback = (h: string) => h === 'localhost' || h === '::1' || h === '[::1]' || /^127\./.test(h);
