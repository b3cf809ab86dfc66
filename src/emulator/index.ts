// The local Cognito user-pool domain emulator: Hosted UI pages (classic or Managed Login), OAuth
// endpoints and the issuer's discovery + JWKS on one loopback origin. `startEmulator()` is the API
// tests, the demo and the `emulator` command use.
import type { AddressInfo } from 'node:net';
import { silentLogger, type Logger } from '../log.js';
import { createControllableClock, type Clock, type ControllableClock } from './clock.js';
import { parsePoolConfig, type PoolConfig, type ResolvedPoolConfig } from './config.js';
import { DEFAULT_BEHAVIOUR, type BehaviourOptions, type Emu, type LockoutPolicy, type OneTimeCodePolicy } from './context.js';
import { DEFAULT_POOL } from './default-pool.js';
import { createFaultController, type FaultController, type FaultOptions } from './faults.js';
import { startLocalUpstreams, type LocalUpstream } from './federation/local-upstreams.js';
import { poolKeys } from './keys.js';
import { classicPages } from './pages/classic.js';
import { createManagedPages, resolveManagedOptions } from './pages/managed.js';
import { managedBundle } from './managed-login/bundle.js';
import type { ManagedLoginOptions } from './managed-login/model.js';
import { createEmulatorServer } from './server.js';
import { EmulatorStore, type Observed } from './store.js';
import { parseMessageSinks, type MessageSinksInput } from './messages/sinks-config.js';
import { seededPasskeys } from './passkeys.js';

/** BehaviourOptions with every field optional, the nested policies too. */
export type BehaviourInput = Partial<Omit<BehaviourOptions, 'lockout' | 'oneTimeCode'>> & { lockout?: Partial<LockoutPolicy>; oneTimeCode?: Partial<OneTimeCodePolicy> };

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Cognito API shapes; the default pool when absent. */
  config?: PoolConfig;
  /** Classic Hosted UI (default) or Managed Login. */
  ui?: 'classic' | 'managed';
  /** Managed Login only: ask for the username first ("Next"), then the password (also on for clients with ALLOW_USER_AUTH). */
  usernameFirst?: boolean;
  /** Managed Login only: hydration delay, client-rendered step delay, corporate form order, texts of the UNCERTAIN screens. */
  managedLogin?: ManagedLoginOptions;
  /** Base clock; the emulator wraps it in a controllable one. */
  clock?: Clock;
  faults?: FaultOptions;
  logger?: Logger;
  /** Choices where real Cognito is uncertain (see BehaviourOptions); each has a likely default. */
  behaviour?: BehaviourInput;
  /** Where emails and SMS with one-time codes go (overrides the pool's `MessageSinks` per channel). */
  messageSinks?: MessageSinksInput;
}

export interface RunningEmulator {
  /** http://127.0.0.1:PORT, no trailing slash. */
  baseUrl: string;
  /** baseUrl + '/' + poolId. */
  issuer: string;
  poolId: string;
  region: string;
  config: ResolvedPoolConfig;
  ui: 'classic' | 'managed';
  clock: ControllableClock;
  faults: FaultController;
  /** Test-only: the codes, PKCE verifiers, tokens, one-time codes and emails/SMS this emulator issued or received since the last reset (for leak tests). */
  observed: Observed;
  /** The passkeys a user has now (configured and registered), as Playwright-compatible ids and counters. */
  passkeys(username: string): { id: string; signCount: number; rpId?: string }[];
  /** Emulator-only local upstream IdPs started for `LocalUpstream` config items, by ProviderName. */
  upstreams: Map<string, LocalUpstream>;
  stop(): Promise<void>;
  /** Forget codes, sessions, lockouts, revoked tokens, used TOTP codes, user changes, registered passkeys (configured ones stay), faults and `observed`; clock back to real time. */
  reset(): void;
}

const urlHost = (host: string): string => {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
};

/** Start an emulator; resolves once it listens. Keys are made once per process, so later starts are fast. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const pool = parsePoolConfig(options.config ?? DEFAULT_POOL, options.config ? 'config' : 'default pool');
  const keys = await poolKeys();
  const clock = createControllableClock(options.clock);
  const faults = createFaultController(options.faults);
  const ui = options.ui ?? 'classic';
  const behaviour: BehaviourOptions = {
    ...DEFAULT_BEHAVIOUR,
    ...options.behaviour,
    lockout: { ...DEFAULT_BEHAVIOUR.lockout, ...options.behaviour?.lockout },
    oneTimeCode: { ...DEFAULT_BEHAVIOUR.oneTimeCode, ...options.behaviour?.oneTimeCode },
  };
  const sinks = { ...pool.MessageSinks, ...(options.messageSinks ? parseMessageSinks(options.messageSinks) : {}) };
  const managed = resolveManagedOptions(options.managedLogin);
  const usernameFirst = options.usernameFirst ?? false;
  const emu: Emu = {
    pool,
    clients: new Map(pool.UserPoolClients.map((c) => [c.ClientId, c])),
    customScopes: new Set(pool.ResourceServers.flatMap((rs) => rs.Scopes.map((s) => `${rs.Identifier}/${s.ScopeName}`))),
    keys,
    store: new EmulatorStore(pool, seededPasskeys),
    clock,
    faults,
    behaviour,
    ui,
    usernameFirst,
    managed,
    pages: ui === 'managed' ? createManagedPages(pool, managed, usernameFirst) : classicPages,
    baseUrl: '',
    issuer: '',
    logger: options.logger ?? silentLogger,
    sinks,
  };
  const server = createEmulatorServer(emu);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (ui === 'managed') managedBundle().warm();
  const { port } = server.address() as AddressInfo;
  emu.baseUrl = `http://${urlHost(host)}:${port}`;
  emu.issuer = `${emu.baseUrl}/${pool.UserPoolId}`;
  let upstreams: LocalUpstream[];
  try {
    upstreams = await startLocalUpstreams(emu, host);
  } catch (err) {
    server.close();
    server.closeAllConnections();
    throw err;
  }
  let stopped: Promise<void> | undefined;
  return {
    baseUrl: emu.baseUrl,
    issuer: emu.issuer,
    poolId: pool.UserPoolId,
    region: pool.Region,
    config: pool,
    ui,
    clock,
    faults,
    observed: emu.store.observed,
    passkeys: (username) => emu.store.passkeysOf(username).map((p) => ({ id: p.credentialId, signCount: p.counter, ...(p.rpId ? { rpId: p.rpId } : {}) })),
    upstreams: new Map(upstreams.map((u) => [u.providerName, u])),
    stop() {
      stopped ??= Promise.all([
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
        ...upstreams.map((u) => u.stop()),
      ]).then(() => undefined);
      return stopped;
    },
    reset() {
      emu.store.reset();
      faults.clear();
      clock.reset();
    },
  };
}

export { parsePoolConfig, loadPoolConfigFile, formatPath, tokenLifetimes } from './config.js';
export type { PoolConfig, ResolvedPoolConfig, ClientConfig, UserConfig } from './config.js';
export { DEFAULT_POOL, DEFAULT_MFA_SECRET } from './default-pool.js';
export type { Clock, ControllableClock } from './clock.js';
export { createControllableClock, systemClock } from './clock.js';
export type { FaultOptions, FaultController, FaultEndpoint, FailureRule } from './faults.js';
export { parseFaultFlag, parseFaultFlags, FAULT_ENDPOINTS } from './faults.js';
export type { BehaviourOptions, LockoutPolicy } from './context.js';
export type { Observed, ObservedMessage } from './store.js';
export type { MessageSinksConfig, SinkConfig, PasskeyConfig } from './config.js';
export type { OneTimeCodePolicy } from './context.js';
export type { LocalUpstream } from './federation/local-upstreams.js';
export type { FederatedIdentityProvider } from './federation/idp-config.js';
export { DEFAULT_BEHAVIOUR } from './context.js';
export { MESSAGES } from './login.js';
export type { ManagedLoginOptions, ManagedTexts } from './managed-login/model.js';
export { DEFAULT_TEXTS as MANAGED_LOGIN_DEFAULT_TEXTS } from './managed-login/model.js';
export { createPasskeyCredential, passkeyUserHandle, type PasskeyCredential } from './passkey-credential.js';
