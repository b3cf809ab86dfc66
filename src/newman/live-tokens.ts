// Tokens refreshed while Newman runs reach the requests still to come: the run's variable scopes
// get the new values, and every request is rewritten just before it is sent so an old token
// (from an OAuth 2.0 auth block, a copied variable, a header a script built) becomes the current one.
// Why this mechanism rather than another: see the top of src/tokens/refresher.ts.
import type { EventEmitter } from 'node:events';
import type { Logger } from '../log.js';
import type { LiveTokens, TokenChange } from '../tokens/refresher.js';
import { createRedactor, type Redactor } from './redaction.js';
import { userTokenVariables, type UserTokens, type VariableNames } from './variables.js';

// The parts of postman-collection's SDK objects touched here, duck-typed (newman 6.2.2 /
// postman-runtime 7.39: Request, PropertyList, Variable, VariableScope).
interface SdkList<T> {
  each(fn: (item: T) => void): void;
}
interface SdkKeyValue {
  key?: string;
  value?: unknown;
}
interface SdkVariable extends SdkKeyValue {
  get(): unknown;
  set(value: unknown): void;
}
interface SdkScope {
  values?: SdkList<SdkVariable>;
}
interface SdkRequest {
  headers?: SdkList<SdkKeyValue>;
  url?: { query?: SdkList<SdkKeyValue>; path?: unknown };
  body?: { mode?: string; raw?: unknown; urlencoded?: SdkList<SdkKeyValue>; formdata?: SdkList<SdkKeyValue>; graphql?: Record<string, unknown> };
}
interface RunState {
  environment?: SdkScope;
  globals?: SdkScope;
  collectionVariables?: SdkScope;
  _variables?: SdkScope;
}

/**
 * A Redactor whose secrets can grow during the run: the one Newman's outputs go through must also
 * hide tokens issued after it was built. Methods delegate to a redactor rebuilt on `add`.
 */
export interface LiveRedactor extends Redactor {
  add(values: Iterable<string | undefined>): void;
}

export function createLiveRedactor(initial: Iterable<string | undefined>): LiveRedactor {
  const known = new Set<string>();
  for (const v of initial) if (v) known.add(v);
  let inner = createRedactor(known);
  return {
    get secrets() {
      return inner.secrets;
    },
    text: (t) => inner.text(t),
    value: (v) => inner.value(v),
    content: (c) => inner.content(c),
    add(values) {
      let grew = false;
      for (const v of values) {
        if (v && !known.has(v)) {
          known.add(v);
          grew = true;
        }
      }
      if (grew) inner = createRedactor(known);
    },
  };
}

export interface FollowOptions {
  live: LiveTokens;
  /** The users as injected at the start of the run (names decide the variable names). */
  users: readonly UserTokens[];
  variableNames?: Partial<VariableNames>;
  redactor: LiveRedactor;
  logger: Logger;
  /** New token values, as soon as they are known (GitHub masks go out through this). */
  onNewSecrets?: (values: string[]) => void;
}

export interface LiveTokenFollower {
  /** Hook into a newman run's events; call right after newman.run(). */
  attach(emitter: EventEmitter): void;
  /** Stop following (the run is over). */
  dispose(): void;
  /** How many requests had an old token replaced (for the debug log and tests). */
  readonly requestsRewritten: number;
}

const tokenStrings = (t: TokenChange['next']): Array<string | undefined> => [t.accessToken, t.idToken, t.refreshToken];

/**
 * Follow `live` during one Newman run. On each change: the redactor learns the new tokens, every
 * variable of the run's scopes (environment, globals, collection, pm.variables) that holds an old
 * token gets the new one (`accessTokenExpiresAt` too), so `{{accessToken}}` and scripts see it; and
 * from then on `beforeRequest` (sync, after auth signing, before sending) replaces old token values
 * in the outgoing request's headers, query, path and body, which is what covers OAuth 2.0 blocks.
 * A value the user deliberately set to something else (--env-var, a script) is left alone.
 */
export function followLiveTokens(options: FollowOptions): LiveTokenFollower {
  const { redactor, logger } = options;
  let users = [...options.users];
  /** Every token value ever replaced -> the current value, so a request holding any old one is fixed. */
  const swaps = new Map<string, string>();
  /** Exact-value updates of non-token variables (accessTokenExpiresAt) by variable name. */
  const exact = new Map<string, { from: string; to: string }>();
  let state: RunState | undefined;
  let rewritten = 0;

  const swap = (text: string): string => {
    let out = text;
    for (const [from, to] of swaps) if (out.includes(from)) out = out.split(from).join(to);
    return out;
  };

  const applyToScopes = () => {
    if (!state) return;
    for (const scope of [state.environment, state.globals, state.collectionVariables, state._variables]) {
      scope?.values?.each((variable) => {
        const value = variable.get();
        if (typeof value !== 'string') return;
        const byName = variable.key !== undefined ? exact.get(variable.key) : undefined;
        const next = byName && value === byName.from ? byName.to : swap(value);
        if (next !== value) variable.set(next);
      });
    }
  };

  const onChange = (change: TokenChange) => {
    const fresh = tokenStrings(change.next).filter((t): t is string => !!t);
    redactor.add(fresh);
    options.onNewSecrets?.(fresh.filter((t) => !tokenStrings(change.previous).includes(t)));
    const before = users;
    users = users.map((u) => (u.name === change.name ? { name: u.name, tokens: change.next } : u));
    const oldUser = before.find((u) => u.name === change.name);
    const newUser = users.find((u) => u.name === change.name);
    if (!oldUser || !newUser) return;
    const oldVars = userTokenVariables(oldUser, before, options.variableNames);
    const newVars = new Map(userTokenVariables(newUser, users, options.variableNames).map((v) => [v.key, v.value]));
    for (const [prev, next] of [
      [change.previous.accessToken, change.next.accessToken],
      [change.previous.idToken, change.next.idToken],
      [change.previous.refreshToken, change.next.refreshToken],
    ] as const) {
      if (!prev || !next || prev === next) continue;
      // Older values that pointed at `prev` now point at `next` too.
      for (const [from, to] of swaps) if (to === prev) swaps.set(from, next);
      swaps.set(prev, next);
    }
    const tokenValues = new Set(swaps.keys());
    for (const v of oldVars) {
      const to = newVars.get(v.key);
      if (to !== undefined && to !== v.value && !tokenValues.has(v.value)) exact.set(v.key, { from: v.value, to });
    }
    applyToScopes();
    logger.debug(`live tokens: ${change.name}'s new tokens are in the run's variables; old values in later requests are replaced.`);
  };

  const rewriteRequest = (request: SdkRequest | undefined) => {
    if (!request || swaps.size === 0) return;
    let changed = false;
    const fix = (kv: SdkKeyValue) => {
      if (typeof kv.value !== 'string') return;
      const next = swap(kv.value);
      if (next !== kv.value) {
        kv.value = next;
        changed = true;
      }
    };
    request.headers?.each(fix);
    request.url?.query?.each(fix);
    if (request.url && Array.isArray(request.url.path)) {
      const path = request.url.path.map((p: unknown) => (typeof p === 'string' ? swap(p) : p));
      if (path.some((p, i) => p !== (request.url!.path as unknown[])[i])) {
        request.url.path = path;
        changed = true;
      }
    }
    const body = request.body;
    if (body) {
      if (typeof body.raw === 'string') {
        const raw = swap(body.raw);
        if (raw !== body.raw) {
          body.raw = raw;
          changed = true;
        }
      }
      body.urlencoded?.each(fix);
      body.formdata?.each(fix);
      if (body.graphql) {
        for (const k of ['query', 'variables'] as const) {
          const v = body.graphql[k];
          if (typeof v === 'string' && swap(v) !== v) {
            body.graphql[k] = swap(v);
            changed = true;
          }
        }
      }
    }
    if (changed) rewritten++;
  };

  const unsubscribe = options.live.onChange(onChange);
  return {
    attach(emitter) {
      // Newman's `start` carries the run; its state holds the very scopes later requests resolve from.
      emitter.on('start', (_err: unknown, o: { run?: { state?: RunState } } | undefined) => {
        state = o?.run?.state;
        if (!state) logger.warn('Newman gave no run state: tokens refreshed during the run reach only requests, not the variables scripts read.');
        applyToScopes();
      });
      // Listeners run synchronously before postman-runtime hands the request to its requester.
      emitter.prependListener('beforeRequest', (_err: unknown, o: { request?: SdkRequest } | undefined) => rewriteRequest(o?.request));
    },
    dispose() {
      unsubscribe();
      if (rewritten) logger.debug(`live tokens: ${rewritten} request(s) had an old token replaced before sending.`);
    },
    get requestsRewritten() {
      return rewritten;
    },
  };
}
