// Callback capture: the browser is stopped on its way to the redirect URI and the URL is kept;
// nothing is ever sent to the callback host. Uses a CDP session with the Fetch domain, because
// page.route is not called for a 302 hop to the callback (DESIGN.md, hard-won facts).
//
// Two catch points, whichever comes first:
// - response stage of every document: a 3xx whose Location is the redirect URI (any scheme,
//   including custom ones like myapp://callback that never make a network request; the fragment of
//   an implicit-grant redirect is in the Location header);
// - request stage on the redirect URI itself (http/https only): a form-post response, a script
//   navigation, anything that reaches the callback without a redirect we saw.
// Either way the request is answered with a tiny local page. Cookies the 3xx response sets (the
// Cognito session) are still stored by the browser, so a later sign-in in the same context works.
import type { CDPSession, Page } from 'playwright-core';
import type { Logger } from '../log.js';
import { CALLBACK_MARKER } from './pages.js';

export interface CallbackCapture {
  /** Resolves with the full callback URL (query or fragment included) the first time it is seen. */
  readonly url: Promise<string>;
  /** The URL if captured already (synchronous check for races). */
  captured(): string | undefined;
  /** Stop intercepting; safe to call twice or after the page closed. */
  dispose(): Promise<void>;
}

const FULFIL_BODY = Buffer.from(
  `<!doctype html><html><head><meta charset="utf-8"><meta name="${CALLBACK_MARKER}" content="1"><title>Signed in</title></head>` +
    '<body><p>Sign-in complete; cognito-newman captured the callback.</p></body></html>',
).toString('base64');

/** The redirect URI without query and fragment, normalised as the browser writes URLs. */
export function callbackBase(uri: string): string {
  const cut = uri.split('#')[0]!.split('?')[0]!;
  if (/^https?:/i.test(cut)) {
    try {
      const u = new URL(cut);
      return `${u.protocol}//${u.host}${u.pathname}`;
    } catch {
      return cut;
    }
  }
  // Custom schemes: browsers keep them as written; compare the scheme case-insensitively.
  const m = /^([a-z][a-z0-9+.-]*):(.*)$/i.exec(cut);
  return m ? `${m[1]!.toLowerCase()}:${m[2]}` : cut;
}

/** Does `candidate` point at the redirect URI (same scheme, host, port and path; any query)? */
export function isCallbackUrl(candidate: string, redirectUri: string): boolean {
  return callbackBase(candidate) === callbackBase(redirectUri);
}

/** Escape a literal for a CDP Fetch urlPattern (where `*`, `?` and `\` are special). */
export function fetchPatternLiteral(s: string): string {
  return s.replace(/[\\*?]/g, (c) => `\\${c}`);
}

interface PausedRequest {
  requestId: string;
  request: { url: string; urlFragment?: string; method: string; postData?: string; headers: Record<string, string> };
  resourceType: string;
  responseStatusCode?: number;
  responseErrorReason?: string;
  responseHeaders?: { name: string; value: string }[];
}

/** The callback URL a paused request carries, or undefined if it is not heading for the callback. */
export function callbackFromPaused(ev: PausedRequest, redirectUri: string): string | undefined {
  const atResponse = ev.responseStatusCode !== undefined || ev.responseErrorReason !== undefined;
  if (atResponse) {
    const status = ev.responseStatusCode ?? 0;
    if (status < 300 || status > 399) return undefined;
    const location = ev.responseHeaders?.find((h) => h.name.toLowerCase() === 'location')?.value;
    if (!location) return undefined;
    let absolute = location;
    try {
      absolute = new URL(location, ev.request.url).href;
    } catch {
      absolute = location;
    }
    // new URL() leaves custom schemes as they are, so the comparison works for them too.
    return isCallbackUrl(absolute, redirectUri) ? absolute : undefined;
  }
  const url = ev.request.url + (ev.request.urlFragment ?? '');
  if (!isCallbackUrl(url, redirectUri)) return undefined;
  // response_mode=form_post: the parameters are in the body; give them back as a query string.
  if (ev.request.method === 'POST' && ev.request.postData && !url.includes('?')) {
    const type = Object.entries(ev.request.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
    if (type.includes('application/x-www-form-urlencoded')) return `${url}?${ev.request.postData}`;
  }
  return url;
}

/** CDP resource types (Network.ResourceType) that can be blocked. */
export type CdpResourceType = 'Document' | 'Image' | 'Font' | 'Media' | 'Stylesheet' | 'Script';

/**
 * Start intercepting for `page`. Install before the first navigation. The URL is logged only as
 * its origin and path (the query holds the code).
 */
export async function installCallbackCapture(
  page: Page,
  redirectUri: string,
  logger: Logger,
  options: { blockResourceTypes?: readonly CdpResourceType[] } = {},
): Promise<CallbackCapture> {
  const blocked = new Set<string>(options.blockResourceTypes ?? []);
  const session: CDPSession = await page.context().newCDPSession(page);
  let resolveUrl!: (url: string) => void;
  const url = new Promise<string>((resolve) => {
    resolveUrl = resolve;
  });
  let captured: string | undefined;
  let disposed = false;

  const onPaused = (ev: PausedRequest) => {
    void handle(ev);
  };
  const handle = async (ev: PausedRequest) => {
    const hit = callbackFromPaused(ev, redirectUri);
    if (hit !== undefined && captured === undefined) {
      // Record first, so a racing step that fails because the page is navigating away can see it.
      captured = hit;
      logger.debug(`callback captured on ${callbackBase(hit)}`);
      resolveUrl(hit);
    }
    try {
      if (hit === undefined && blocked.has(ev.resourceType) && ev.responseStatusCode === undefined) {
        await session.send('Fetch.failRequest', { requestId: ev.requestId, errorReason: 'BlockedByClient' });
        return;
      }
      if (hit === undefined) {
        await session.send('Fetch.continueRequest', { requestId: ev.requestId });
        return;
      }
      // Answer instead of the callback host; the browser shows the tiny page.
      await session.send('Fetch.fulfillRequest', {
        requestId: ev.requestId,
        responseCode: 200,
        responseHeaders: [
          { name: 'Content-Type', value: 'text/html; charset=utf-8' },
          { name: 'Cache-Control', value: 'no-store' },
        ],
        body: FULFIL_BODY,
      });
    } catch (err) {
      // The page or the request went away (context closed, navigation cancelled): nothing to do.
      if (!disposed) logger.debug(`callback capture: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  };
  session.on('Fetch.requestPaused', onPaused);

  const patterns: { urlPattern: string; resourceType?: CdpResourceType; requestStage: 'Request' | 'Response' }[] = [
    { urlPattern: '*', resourceType: 'Document', requestStage: 'Response' },
    // Blocking in the same Fetch session costs one pause per blocked request only; a Playwright
    // route('**/*') would pause every request of the page, documents and stylesheets included.
    ...[...blocked].map((resourceType) => ({ urlPattern: '*', resourceType: resourceType as CdpResourceType, requestStage: 'Request' as const })),
  ];
  if (/^https?:/i.test(redirectUri)) {
    patterns.push({ urlPattern: `${fetchPatternLiteral(callbackBase(redirectUri))}*`, requestStage: 'Request' });
  }
  await session.send('Fetch.enable', { patterns });

  return {
    url,
    captured: () => captured,
    async dispose() {
      if (disposed) return;
      disposed = true;
      session.off('Fetch.requestPaused', onPaused);
      await session.detach().catch(() => undefined);
    },
  };
}
