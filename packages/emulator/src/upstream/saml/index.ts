// A real SAML 2.0 identity provider on loopback, for tests and the demo: metadata, SP-initiated SSO
// (HTTP-Redirect AuthnRequest in, HTTP-POST signed Response out), its own password page and a TOTP
// step. samlify does the protocol work (request parsing, response signing with xml-crypto); this
// module only adds the pages, the users and the attribute statement.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DOMParser } from '@xmldom/xmldom';
import { Secret, TOTP } from 'otpauth';
import samlify from 'samlify';
import { generate } from 'selfsigned';
import { readBody } from '../../http.js';
import { esc } from '../../pages/layout.js';
import type { UpstreamUser } from '../types.js';
import { autoPostPage, errorPageHtml, otpPage, signedOutPage, signInPage } from './pages.js';

export type { UpstreamUser } from '../types.js';

export interface SamlServiceProvider {
  /** The SP entity ID, which becomes the assertion's Audience (Cognito: `urn:amazon:cognito:sp:<poolId>`). */
  entityId: string;
  /** The SP's assertion consumer service (Cognito: `https://<domain>/saml2/idpresponse`). */
  acsUrl: string;
}

export interface SamlUpstreamOptions {
  host?: string;
  port?: number;
  /** Default `<baseUrl>/metadata`. */
  entityId?: string;
  sp: SamlServiceProvider;
  users: UpstreamUser[];
  /** Shown under the page title. */
  organisation?: string;
}

export interface RunningSamlUpstream {
  baseUrl: string;
  entityId: string;
  /** The HTTP-Redirect SingleSignOnService location. */
  ssoUrl: string;
  metadataUrl: string;
  metadataXml: string;
  /** Answer for another SP from now on (tests start the IdP before the emulator knows its port). */
  setServiceProvider(sp: SamlServiceProvider): void;
  stop(): Promise<void>;
}

const NAMEID_PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
const INTERACTION_MS = 10 * 60_000;
const PASSWORD_CONTEXT = 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport';

let validatorSet = false;
/**
 * samlify refuses to parse anything until an XML validator is registered. Ours checks that the
 * AuthnRequest is well-formed XML without a DOCTYPE (no entity tricks); the full XSD check needs
 * a native or Java validator, which this test IdP does not warrant.
 */
function ensureValidator(): void {
  if (validatorSet) return;
  samlify.setSchemaValidator({
    validate: async (xml: string) => {
      if (/<!DOCTYPE/i.test(xml)) throw new Error('ERR_DOCTYPE_NOT_ALLOWED');
      const errors: string[] = [];
      new DOMParser({ errorHandler: { error: (m) => errors.push(m), fatalError: (m) => errors.push(m) } }).parseFromString(xml, 'text/xml');
      if (errors.length) throw new Error(`ERR_INVALID_XML: ${errors[0]}`);
      return 'ok';
    },
  });
  validatorSet = true;
}

let keyPair: Promise<{ privateKey: string; cert: string }> | undefined;
/** One self-signed signing certificate per process (RSA 2048, SHA-256), made on first use. */
function signingKeys(): Promise<{ privateKey: string; cert: string }> {
  keyPair ??= generate([{ name: 'commonName', value: 'cognito-newman local SAML IdP' }], { keySize: 2048, algorithm: 'sha256' }).then((p) => ({
    privateKey: p.private,
    cert: p.cert,
  }));
  return keyPair;
}

interface Interaction {
  requestId: string;
  relayState: string | undefined;
  /** Set once the password was right and a TOTP code is still due. */
  user?: UpstreamUser;
  expiresAt: number;
}

const attributeValues = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v]).filter((x) => x !== undefined && x !== null).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));

/** `<saml:AttributeStatement>` for the user's claims (each value escaped). */
function attributeStatement(claims: Record<string, unknown>): string {
  const attrs = Object.entries(claims)
    .filter(([k]) => k !== 'sub' && k !== 'nameID')
    .map(
      ([name, value]) =>
        `<saml:Attribute Name="${esc(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${attributeValues(value)
          .map((v) => `<saml:AttributeValue xsi:type="xs:string">${esc(v)}</saml:AttributeValue>`)
          .join('')}</saml:Attribute>`,
    )
    .join('');
  return attrs ? `<saml:AttributeStatement>${attrs}</saml:AttributeStatement>` : '';
}

function totpAccepts(secret: string, code: string, used: Set<string>): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  const totp = new TOTP({ secret: Secret.fromBase32(secret.replace(/=+$/, '').toUpperCase()), digits: 6, period: 30, algorithm: 'SHA1' });
  const delta = totp.validate({ token: code, window: 1 });
  if (delta === null) return false;
  const key = `${secret}:${Math.floor(Date.now() / 30_000) + delta}`;
  if (used.has(key)) return false;
  used.add(key);
  return true;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/html;charset=UTF-8', extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-length': String(Buffer.byteLength(body)), ...extra });
  res.end(body);
}

/** Start the IdP; resolves once it listens. */
export async function startSamlUpstream(options: SamlUpstreamOptions): Promise<RunningSamlUpstream> {
  ensureValidator();
  const { privateKey, cert } = await signingKeys();
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const entityId = options.entityId ?? `${baseUrl}/metadata`;
  const ssoUrl = `${baseUrl}/sso`;
  const metadataUrl = `${baseUrl}/metadata`;
  const organisation = options.organisation ?? 'Example Corp (local SAML IdP)';
  const idp = samlify.IdentityProvider({
    entityID: entityId,
    privateKey,
    signingCert: cert,
    nameIDFormat: [NAMEID_PERSISTENT],
    singleSignOnService: [
      { Binding: samlify.Constants.namespace.binding.redirect, Location: ssoUrl },
      { Binding: samlify.Constants.namespace.binding.post, Location: ssoUrl },
    ],
    // The IdP keeps no session, so single logout only has to answer (Cognito calls it with IDPSignout).
    singleLogoutService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: `${baseUrl}/slo` }],
    requestSignatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  });
  const metadataXml = idp.getMetadata();
  const makeSp = (s: SamlServiceProvider) =>
    samlify.ServiceProvider({
      entityID: s.entityId,
      wantAssertionsSigned: true,
      authnRequestsSigned: false,
      assertionConsumerService: [{ Binding: samlify.Constants.namespace.binding.post, Location: s.acsUrl }],
    });
  let spSettings = options.sp;
  let sp = makeSp(spSettings);
  const users = new Map(options.users.map((u) => [u.username.toLowerCase(), u]));
  const interactions = new Map<string, Interaction>();
  const usedTotp = new Set<string>();

  const live = (id: string | null): Interaction | undefined => {
    const i = id ? interactions.get(id) : undefined;
    if (!i || i.expiresAt <= Date.now()) return undefined;
    return i;
  };

  async function respond(res: ServerResponse, interaction: string, i: Interaction, user: UpstreamUser): Promise<void> {
    interactions.delete(interaction);
    const claims = user.claims ?? {};
    const nameId = typeof claims.nameID === 'string' ? claims.nameID : user.username;
    const now = new Date();
    const later = new Date(now.getTime() + 5 * 60_000).toISOString();
    const assertionId = `_${randomUUID()}`;
    const result = (await idp.createLoginResponse(sp, { extract: { request: { id: i.requestId } } }, 'post', { email: nameId }, {
      ...(i.relayState !== undefined ? { relayState: i.relayState } : {}),
      customTagReplacement: (template: string) => {
        const id = `_${randomUUID()}`;
        const withStatements = template.replace(
          '{AuthnStatement}{AttributeStatement}',
          `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="${assertionId}"><saml:AuthnContext><saml:AuthnContextClassRef>${PASSWORD_CONTEXT}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>${attributeStatement(claims)}`,
        );
        const context = samlify.SamlLib.replaceTagsByValue(withStatements, {
          ID: id,
          AssertionID: assertionId,
          Destination: spSettings.acsUrl,
          Audience: spSettings.entityId,
          SubjectRecipient: spSettings.acsUrl,
          Issuer: entityId,
          IssueInstant: now.toISOString(),
          StatusCode: samlify.Constants.StatusCode.Success,
          ConditionsNotBefore: now.toISOString(),
          ConditionsNotOnOrAfter: later,
          SubjectConfirmationDataNotOnOrAfter: later,
          NameIDFormat: NAMEID_PERSISTENT,
          NameID: nameId,
          InResponseTo: i.requestId,
        });
        return { id, context };
      },
    })) as { context: string };
    send(res, 200, autoPostPage(spSettings.acsUrl, result.context, i.relayState));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname === '/metadata' && method === 'GET') return send(res, 200, metadataXml, 'application/samlmetadata+xml');
    if (url.pathname === '/slo' && method === 'GET') return send(res, 200, signedOutPage());
    if (url.pathname === '/sso' && method === 'GET') {
      const samlRequest = url.searchParams.get('SAMLRequest');
      if (!samlRequest) return send(res, 400, errorPageHtml('The request carries no SAMLRequest.'));
      let requestId: string;
      try {
        const query = Object.fromEntries(url.searchParams);
        const parsed = await idp.parseLoginRequest(sp, 'redirect', { query, octetString: url.search.slice(1) });
        requestId = String((parsed.extract as { request?: { id?: string } }).request?.id ?? '');
        if (!requestId) throw new Error('no request ID');
      } catch (err) {
        return send(res, 400, errorPageHtml(`The SAML request could not be read (${err instanceof Error ? err.message : String(err)}).`));
      }
      // Abandoned sign-ins are forgotten once expired, so a long-running IdP stays small.
      for (const [id, old] of interactions) if (old.expiresAt <= Date.now()) interactions.delete(id);
      const interaction = randomUUID();
      const relayState = url.searchParams.get('RelayState') ?? undefined;
      interactions.set(interaction, { requestId, relayState, expiresAt: Date.now() + INTERACTION_MS });
      return send(res, 200, signInPage({ organisation, interaction }));
    }
    if (method === 'POST' && (url.pathname === '/sso/login' || url.pathname === '/sso/otp')) {
      const form = new URLSearchParams(await readBody(req));
      const interaction = form.get('interaction') ?? '';
      const i = live(interaction);
      if (!i) return send(res, 400, errorPageHtml('This sign-in has expired. Go back to the application and start again.'));
      if (url.pathname === '/sso/login') {
        const username = (form.get('username') ?? '').trim();
        const user = users.get(username.toLowerCase());
        if (!user || user.password !== (form.get('password') ?? '')) {
          return send(res, 200, signInPage({ organisation, interaction, username, error: 'Incorrect username or password.' }));
        }
        if (user.totpSecret) {
          i.user = user;
          return send(res, 200, otpPage({ organisation, interaction }));
        }
        return respond(res, interaction, i, user);
      }
      if (!i.user?.totpSecret) return send(res, 400, errorPageHtml('No code is due for this sign-in.'));
      if (!totpAccepts(i.user.totpSecret, (form.get('otp') ?? '').replace(/\s+/g, ''), usedTotp)) {
        return send(res, 200, otpPage({ organisation, interaction, error: 'The code is wrong or has expired. Enter a new code.' }));
      }
      return respond(res, interaction, i, i.user);
    }
    send(res, 404, 'Not Found', 'text/plain');
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, errorPageHtml(`The identity provider failed: ${err instanceof Error ? err.message : String(err)}`));
      else res.destroy();
    });
  });
  let stopped: Promise<void> | undefined;
  return {
    baseUrl,
    entityId,
    ssoUrl,
    metadataUrl,
    metadataXml,
    setServiceProvider(next) {
      spSettings = next;
      sp = makeSp(next);
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
