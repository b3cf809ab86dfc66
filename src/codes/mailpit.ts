// Codes from Mailpit (a team's SMTP capture) through its HTTP API: GET /api/v1/messages lists the
// newest messages with their recipients; GET /api/v1/message/{ID} gives one with its text body.
// Mailpit's API has no authentication by default; a URL with user:password sends Basic auth.
import { fetch } from 'undici';
import type { CodeSource } from '../config/factors.js';
import { registerSecret } from '../log.js';
import type { CodeMessage } from './extract.js';
import { SourceError, type CodeReader, type ReaderContext } from './reader.js';

type MailpitSource = Extract<CodeSource, { kind: 'mailpit' }>;

interface Summary {
  ID: string;
  To?: { Address?: string }[] | null;
  Cc?: { Address?: string }[] | null;
  Created?: string;
}

export function mailpitReader(source: MailpitSource, ctx: ReaderContext): CodeReader {
  const seen = new Set<string>();
  const cache = new Map<string, CodeMessage & { key: string }>();
  const base = new URL(source.baseUrl);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (base.username) {
    const basic = Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64');
    registerSecret(decodeURIComponent(base.password));
    registerSecret(basic);
    headers.authorization = `Basic ${basic}`;
    base.username = '';
    base.password = '';
  }
  const root = base.toString().replace(/\/+$/, '');
  const get = async <T>(path: string): Promise<T> => {
    let res: Awaited<ReturnType<typeof fetch>>;
    try {
      res = await fetch(`${root}${path}`, { headers, signal: AbortSignal.timeout(ctx.requestTimeoutMs), ...(ctx.dispatcher ? { dispatcher: ctx.dispatcher } : {}) });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
      throw new SourceError(`${source.display} did not answer (${cause})`, false, 'Check that Mailpit runs and that the URL names its web/API port (8025 by default), not its SMTP port.');
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new SourceError(`${source.display} refused the credentials (HTTP ${res.status})`, true, "Put Mailpit's UI user and password in the URL (mailpit+http://user:password@host:8025), kept in a secret.");
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new SourceError(`${source.display} answered HTTP ${res.status} for ${path}`, res.status === 404, 'Check that the URL is Mailpit\'s API base (e.g. mailpit+http://127.0.0.1:8025).');
    }
    return (await res.json()) as T;
  };
  const list = async () => (await get<{ messages?: Summary[] }>('/api/v1/messages?limit=50')).messages ?? [];
  const addrs = (s: Summary) => [...(s.To ?? []), ...(s.Cc ?? [])].map((a) => (a.Address ?? '').toLowerCase()).filter(Boolean);

  return {
    async baseline(since) {
      for (const m of await list()) if (!m.Created || Date.parse(m.Created) < since) seen.add(m.ID);
    },
    async poll() {
      const out: (CodeMessage & { key: string })[] = [];
      const want = ctx.address?.toLowerCase();
      for (const s of await list()) {
        if (seen.has(s.ID)) continue;
        const to = addrs(s);
        // Only bodies of messages for this user are fetched (and none is ever logged).
        if (want && !to.includes(want)) continue;
        let m = cache.get(s.ID);
        if (!m) {
          const full = await get<{ Text?: string; HTML?: string }>(`/api/v1/message/${encodeURIComponent(s.ID)}`);
          m = { key: s.ID, to, ...(s.Created ? { at: new Date(s.Created) } : {}), text: full.Text ?? (full.HTML ?? '').replace(/<[^>]+>/g, ' ') };
          cache.set(s.ID, m);
        }
        out.push(m);
      }
      return out;
    },
    async probe() {
      await get('/api/v1/info');
    },
    async close() {},
  };
}
