// Everything the emulator remembers between requests: codes, sessions, multi-step sign-ins,
// failed-attempt counters, refresh tokens, revocations, used TOTP codes and user changes.
// `reset()` forgets all of it so each test starts from the configured pool.
import { randomUUID } from 'node:crypto';
import type { MfaMethod, ResolvedPoolConfig, UserConfig } from './config.js';
import type { FirstFactor } from './managed-login/model.js';

export interface AuthRequest {
  responseType: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  resource?: string;
}

export interface CodeRecord extends AuthRequest {
  username: string;
  authTime: number; // epoch seconds
  expiresAt: number; // epoch ms
  used: boolean;
}

export interface SessionRecord {
  id: string;
  username: string;
  authTime: number; // epoch seconds
  expiresAt: number; // epoch ms
}

/** A sign-in between its steps (password done, MFA or new password pending; or username-first). */
export interface PendingAuth {
  id: string;
  username: string;
  step: 'password' | 'new_password' | 'mfa';
  expiresAt: number;
  /** The one-time code sent for this sign-in (first factor or MFA); a new one replaces it. */
  otp?: OneTimeCode;
  /** The first factor or MFA method the user picked (choice screens). */
  factor?: FirstFactor;
  mfaMethod?: MfaMethod;
}

/** A one-time code sent by email or SMS: single use, time-limited. */
export interface OneTimeCode {
  code: string;
  channel: 'email' | 'sms';
  purpose: 'signIn' | 'mfa';
  expiresAt: number; // epoch ms
  used: boolean;
}

/** A passkey the emulator knows: from the config, or registered on the pages. */
export interface StoredPasskey {
  credentialId: string; // base64url
  /** COSE public key, as @simplewebauthn/server verifies with. */
  publicKey: Uint8Array;
  counter: number;
  rpId?: string;
  userHandle?: string; // base64url
  transports?: string[];
  createdAt: number;
}

/** An outstanding WebAuthn ceremony: its challenge is single use and bound to one browser. */
export interface WebAuthnChallenge {
  challenge: string; // base64url
  purpose: 'signIn' | 'mfa' | 'register';
  username?: string;
  rpId: string;
  expiresAt: number;
}

/** An email or SMS the emulator sent (test-only record: the code is in it). */
export interface ObservedMessage {
  channel: 'email' | 'sms';
  to: string;
  username: string;
  subject?: string;
  text: string;
  /** The raw RFC 5322 message (email). */
  raw?: string;
  at: number;
}

/** One federated leg: the app's request parked while the browser is at the upstream IdP. */
export interface FederatedLeg {
  /** Cognito's own state / RelayState sent upstream (opaque to the IdP). */
  id: string;
  providerName: string;
  providerType: 'OIDC' | 'SAML';
  request: AuthRequest;
  /** The authorize query (with `?`), to send the user back to the sign-in page. */
  search: string;
  /** Value of the browser's `csrf-state` cookie set with the redirect: the leg must end in the same browser. */
  browser: string;
  createdAt: number; // epoch ms
  expiresAt: number; // epoch ms: Cognito's 5-minute limit
  /** SAML: the AuthnRequest ID, which the Response's InResponseTo must equal. */
  samlRequestId?: string;
  used: boolean;
}

export interface FailureRecord {
  failures: number;
  lockedUntil: number; // epoch ms, 0 when not locked
  lockouts: number; // how many lockouts so far: each doubles the next
}

export interface RefreshRecord {
  clientId: string;
  username: string;
  scopes: string[];
  authTime: number;
  originJti: string;
  expiresAt: number;
  revoked: boolean;
  /** Rotation: when the token was replaced, it stays valid until this instant (grace period). */
  replacedUntil?: number;
  resource?: string;
}

/**
 * Test-only record of every secret value the emulator issued or received, so a leak test knows
 * what to search a client's output for (codes and PKCE verifiers are otherwise known only to it).
 */
export interface Observed {
  codes: string[];
  codeVerifiers: string[];
  /** Access, ID and refresh tokens, from every grant. */
  tokens: string[];
  /** One-time sign-in and MFA codes sent by email or SMS. */
  otpCodes: string[];
  /** Every email and SMS sent (with the code in it). */
  messages: ObservedMessage[];
}

const MAX_OBSERVED = 1000;

export class EmulatorStore {
  codes = new Map<string, CodeRecord>();
  sessions = new Map<string, SessionRecord>();
  pending = new Map<string, PendingAuth>();
  failures = new Map<string, FailureRecord>();
  refreshTokens = new Map<string, RefreshRecord>();
  /** origin_jti values whose access tokens were revoked with their refresh token. */
  revokedOrigins = new Set<string>();
  /** `${username}:${timeStep}` of TOTP codes already accepted (a code works once). */
  usedTotp = new Set<string>();
  users = new Map<string, UserConfig>();
  /** Federated legs by Cognito state (kept after use until they expire, so a replay is recognised). */
  federated = new Map<string, FederatedLeg>();
  /** Outstanding SAML AuthnRequest IDs (node-saml's InResponseTo cache) -> created at, epoch ms. */
  samlRequests = new Map<string, number>();
  /** Assertion IDs already consumed -> when they may be forgotten (epoch ms). */
  usedAssertions = new Map<string, number>();
  /** Per-IdP discovery documents and SAML metadata, fetched on first use. */
  upstreamCache = new Map<string, unknown>();
  /** Passkeys by user key (config ones seeded at reset, registered ones added). */
  passkeys = new Map<string, StoredPasskey[]>();
  /** Outstanding WebAuthn ceremonies by id (the id travels in a cookie). */
  webauthn = new Map<string, WebAuthnChallenge>();
  readonly observed: Observed = { codes: [], codeVerifiers: [], tokens: [], otpCodes: [], messages: [] };

  constructor(
    private readonly pool: ResolvedPoolConfig,
    /** Turns a configured passkey into a stored one (SPKI -> COSE); given by the emulator. */
    private readonly seedPasskeys: (u: UserConfig) => StoredPasskey[] = () => [],
  ) {
    this.reset();
  }

  key(username: string): string {
    return this.pool.UsernameConfiguration?.CaseSensitive ? username : username.toLowerCase();
  }

  reset(): void {
    this.codes.clear();
    this.sessions.clear();
    this.pending.clear();
    this.failures.clear();
    this.refreshTokens.clear();
    this.revokedOrigins.clear();
    this.usedTotp.clear();
    this.users.clear();
    this.federated.clear();
    this.samlRequests.clear();
    this.usedAssertions.clear();
    this.upstreamCache.clear();
    this.passkeys.clear();
    this.webauthn.clear();
    // Emptied in place: callers may hold the object.
    for (const list of Object.values(this.observed)) list.length = 0;
    for (const u of this.pool.Users) {
      this.users.set(this.key(u.Username), structuredClone(u));
      const seeded = this.seedPasskeys(u);
      if (seeded.length) this.passkeys.set(this.key(u.Username), seeded);
    }
  }

  /** Note values for `observed`; only the latest ones are kept, so a long-running emulator stays small. */
  observe<K extends keyof Observed>(kind: K, ...values: Observed[K]): void {
    const list = this.observed[kind] as unknown[];
    list.push(...values);
    if (list.length > MAX_OBSERVED) list.splice(0, list.length - MAX_OBSERVED);
  }

  /** Find a user by username, or by email/phone when the pool signs in with those (UsernameAttributes/AliasAttributes). */
  findUser(login: string): UserConfig | undefined {
    const direct = this.users.get(this.key(login));
    if (direct) return direct;
    const attrs = [...(this.pool.UsernameAttributes ?? []), ...(this.pool.AliasAttributes ?? [])];
    if (!attrs.length) return undefined;
    const wanted = login.toLowerCase();
    for (const u of this.users.values()) {
      if (u.Attributes.some((a) => attrs.includes(a.Name as never) && a.Value.toLowerCase() === wanted)) return u;
    }
    return undefined;
  }

  /** The user's passkeys (a live list: counters are updated in place). */
  passkeysOf(username: string): StoredPasskey[] {
    const k = this.key(username);
    let list = this.passkeys.get(k);
    if (!list) this.passkeys.set(k, (list = []));
    return list;
  }

  /** The user and passkey holding a credential id, across all users. */
  findPasskey(credentialId: string): { username: string; passkey: StoredPasskey } | undefined {
    for (const [k, list] of this.passkeys) {
      const passkey = list.find((p) => p.credentialId === credentialId);
      const user = passkey ? this.users.get(k) : undefined;
      if (passkey && user) return { username: user.Username, passkey };
    }
    return undefined;
  }

  newSession(username: string, authTime: number, expiresAt: number): SessionRecord {
    const s = { id: randomUUID(), username, authTime, expiresAt };
    this.sessions.set(s.id, s);
    return s;
  }

  validSession(id: string | undefined, now: number): SessionRecord | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (s.expiresAt <= now) {
      this.sessions.delete(id);
      return undefined;
    }
    // A user disabled or deleted since sign-in has no session any more.
    const u = this.findUser(s.username);
    if (!u || !u.Enabled) return undefined;
    return s;
  }

  newPending(username: string, step: PendingAuth['step'], expiresAt: number): PendingAuth {
    const p = { id: randomUUID(), username, step, expiresAt };
    this.pending.set(p.id, p);
    return p;
  }

  validPending(id: string | undefined, now: number): PendingAuth | undefined {
    if (!id) return undefined;
    const p = this.pending.get(id);
    if (!p || p.expiresAt <= now) {
      if (p) this.pending.delete(id);
      return undefined;
    }
    return p;
  }
}
