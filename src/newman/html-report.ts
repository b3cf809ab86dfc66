// `-r html`: cognito-newman's own HTML report. Collects every request, response and test from
// Newman's events, redacts it all, and queues one self-contained file (html-report-page.ts) on
// Newman's export queue, so it is written, redacted and scrubbed like every other report.
import type { EventEmitter } from 'node:events';
import type { NewmanRunSummary } from 'newman';
import { REDACTED } from '../log.js';
import type { Redactor } from './redaction.js';
import { renderReportPage, type ExchangeView, type ExecutionView, type ReportView, type SignInView } from './html-report-page.js';

export type { SignInView } from './html-report-page.js';

/** What the report shows of each user's token acquisition (tokens/acquire.ts AcquiredUser, config users). */
export function signInViews(
  acquired: ReadonlyArray<{ name: string; source: SignInView['source']; durationMs: number; steps: SignInView['steps'] }>,
  users: ReadonlyArray<{ name: string; username: string }>,
): SignInView[] {
  return acquired.map((a) => ({ name: a.name, username: users.find((u) => u.name === a.name)?.username ?? a.name, source: a.source, durationMs: a.durationMs, steps: a.steps.map((s) => ({ ...s })) }));
}

/** The reporter name (`-r html`). */
export const HTML_REPORTER = 'html';

/** Bodies beyond this are cut: a report must stay openable. */
const MAX_BODY = 64 * 1024;
const CREDENTIAL = /^(?:proxy-)?authorization$/i;

interface HeaderLike {
  key?: string;
  value?: unknown;
  disabled?: boolean;
}
interface ListLike {
  all?: () => HeaderLike[];
  toJSON?: () => unknown;
}
interface CursorLike {
  ref?: string;
  iteration?: number;
}
interface ItemLike {
  id?: string;
  name?: string;
  forEachParent?: (fn: (p: { name?: string; id?: string }) => void) => void;
}

function headers(list: unknown): Array<[string, string]> {
  const all = (list as ListLike | undefined)?.all?.() ?? (Array.isArray(list) ? (list as HeaderLike[]) : []);
  return all
    .filter((h) => h && typeof h.key === 'string' && h.disabled !== true)
    .map((h) => {
      const value = String(h.value ?? '');
      // The scheme stays, so a reader debugging a 401 sees that a bearer token was sent.
      if (CREDENTIAL.test(h.key!)) return [h.key!, /^(\S+)\s+\S/.test(value) ? `${value.split(/\s+/, 1)[0]} ${REDACTED}` : REDACTED];
      return [h.key!, value];
    });
}

function cut(text: string): string {
  return text.length > MAX_BODY ? `${text.slice(0, MAX_BODY)}\n… (${text.length - MAX_BODY} more characters not shown)` : text;
}

function requestBody(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as { mode?: string; raw?: unknown; toString?: () => string; urlencoded?: { all?: () => HeaderLike[] }; formdata?: { all?: () => Array<HeaderLike & { type?: string; src?: unknown }> } };
  if (b.mode === 'raw' && typeof b.raw === 'string') return b.raw === '' ? undefined : cut(b.raw);
  if (b.mode === 'urlencoded') return b.urlencoded?.all?.().filter((p) => !p.disabled).map((p) => `${p.key}=${String(p.value ?? '')}`).join('&') || undefined;
  if (b.mode === 'formdata') return b.formdata?.all?.().filter((p) => !p.disabled).map((p) => `${p.key}: ${p.type === 'file' ? `(file ${String(p.src ?? '')})` : String(p.value ?? '')}`).join('\n') || undefined;
  if (b.mode === 'graphql') return cut(JSON.stringify((body as { graphql?: unknown }).graphql, null, 2));
  return undefined;
}

const TEXTUAL = /^(text\/|application\/(.*\+)?(json|xml|javascript|x-www-form-urlencoded)|application\/problem)/i;

function responseBody(response: { stream?: Buffer; headers?: unknown }): { body?: string; note?: string } {
  const stream = response.stream;
  if (!stream || stream.length === 0) return {};
  const type = headers(response.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  if (type && !TEXTUAL.test(type)) return { note: `${type}, ${stream.length} bytes (not shown)` };
  let text = stream.toString('utf8');
  if (/json/i.test(type) || /^\s*[[{]/.test(text)) {
    try {
      text = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // not JSON after all: shown as sent
    }
  }
  return { body: cut(text) };
}

function pathOf(item: ItemLike | undefined): string[] {
  const chain: string[] = [];
  item?.forEachParent?.((p) => chain.unshift(p.name ?? p.id ?? ''));
  return chain.filter(Boolean);
}

function errorText(err: unknown): string {
  const e = err as { name?: string; message?: string } | undefined;
  return e?.message ? `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}` : String(err);
}

export interface HtmlReportOptions {
  /** Where the file goes (reporterOptionsFor gives `<reportsDir>/report.html`). */
  export?: string;
  /** The page title; default "cognito-newman report". */
  title?: string;
}

/**
 * Listen to a Newman run and, at `beforeDone`, queue the report on Newman's export queue. Every
 * value is redacted here (before it is serialised into the page) and again by the export guard.
 */
export function attachHtmlReport(emitter: EventEmitter & { exports?: unknown[] }, options: HtmlReportOptions, redactor: Redactor, signIns: readonly SignInView[] = []): void {
  const executions = new Map<string, ExecutionView>();
  const order: ExecutionView[] = [];
  const execution = (cursor: CursorLike | undefined, item: ItemLike | undefined): ExecutionView => {
    const key = `${cursor?.ref ?? item?.id ?? order.length}`;
    let e = executions.get(key);
    if (!e) {
      e = { id: `r${order.length + 1}`, name: item?.name ?? '(unnamed request)', path: pathOf(item), iteration: (cursor?.iteration ?? 0) + 1, exchanges: [], tests: [], errors: [] };
      executions.set(key, e);
      order.push(e);
    }
    return e;
  };

  emitter.on('beforeItem', (_err: unknown, o: { cursor?: CursorLike; item?: ItemLike }) => void execution(o?.cursor, o?.item));
  emitter.on('request', (err: unknown, o: { cursor?: CursorLike; item?: ItemLike; request?: Record<string, unknown>; response?: Record<string, unknown> }) => {
    const e = execution(o?.cursor, o?.item);
    const req = o?.request as { method?: string; url?: { toString(): string }; headers?: unknown; body?: unknown } | undefined;
    const res = o?.response as { code?: number; status?: string; responseTime?: number; responseSize?: number; headers?: unknown; stream?: Buffer } | undefined;
    const x: ExchangeView = {
      method: String(req?.method ?? 'GET'),
      url: String(req?.url?.toString() ?? ''),
      requestHeaders: headers(req?.headers),
      responseHeaders: res ? headers(res.headers) : [],
    };
    const body = requestBody(req?.body);
    if (body !== undefined) x.requestBody = body;
    if (res) {
      if (typeof res.code === 'number') x.status = res.code;
      if (res.status) x.statusText = res.status;
      if (typeof res.responseTime === 'number') x.timeMs = res.responseTime;
      x.sizeBytes = typeof res.responseSize === 'number' ? res.responseSize : (res.stream?.length ?? 0);
      const rb = responseBody(res);
      if (rb.body !== undefined) x.responseBody = rb.body;
      if (rb.note) x.responseNote = rb.note;
    }
    if (err) x.error = errorText(err);
    e.exchanges.push(x);
  });
  emitter.on('assertion', (err: unknown, o: { cursor?: CursorLike; item?: ItemLike; assertion?: string; skipped?: boolean }) => {
    const e = execution(o?.cursor, o?.item);
    e.tests.push({ name: String(o?.assertion ?? ''), result: o?.skipped ? 'skipped' : err ? 'failed' : 'passed', ...(err ? { message: errorText(err).replace(/^AssertionError: /, '') } : {}) });
  });
  emitter.on('exception', (_err: unknown, o: { cursor?: CursorLike; error?: unknown }) => {
    const e = executions.get(String(o?.cursor?.ref)) ?? order.at(-1);
    e?.errors.push(errorText(o?.error));
  });

  emitter.on('beforeDone', (_err: unknown, o: { summary?: NewmanRunSummary }) => {
    const s = o?.summary;
    const stats = s?.run.stats;
    const timings = s?.run.timings as { started?: number; completed?: number } | undefined;
    const view: ReportView = {
      title: options.title ?? 'cognito-newman report',
      collection: String((s?.collection as unknown as { name?: string })?.name ?? ''),
      generatedAt: new Date().toISOString(),
      durationMs: Math.max(0, (timings?.completed ?? Date.now()) - (timings?.started ?? Date.now())),
      iterations: stats?.iterations.total ?? 1,
      requests: { total: stats?.requests.total ?? 0, failed: stats?.requests.failed ?? 0 },
      assertions: { total: stats?.assertions.total ?? 0, failed: stats?.assertions.failed ?? 0 },
      // An item that sent nothing (its prerequest script called pm.execution.skipRequest()) was not run.
      executions: order.filter((e) => e.exchanges.length > 0 || e.tests.length > 0 || e.errors.length > 0),
      signIns: [...signIns],
    };
    const runError = (s?.run as { error?: unknown } | undefined)?.error;
    if (runError) view.runError = errorText(runError);
    // Redacted before it is serialised: a secret must not survive as an escaped form in the page.
    const clean = redactor.value(view);
    emitter.exports?.push({ name: 'cognito-newman-html', default: 'report.html', path: options.export, content: renderReportPage(clean) });
  });
}
