// One worker's signed-in users for the Playwright fixture: each user signs in once (through the
// same signIn as the CLI, so the token cache is reused across workers and runs), then a background
// refresher keeps the tokens fresh for as long as the worker lives.
import { signIn } from '../session/sign-in.js';
import type { Logger } from '../log.js';
import type { TokenSet } from '../oauth/types.js';
import { startRunRefresher, type TokenRefresher } from '../tokens/refresher.js';

export interface SessionRequest {
  flags: Record<string, unknown>;
  logger: Logger;
  settings?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
}

interface UserSession {
  name: string;
  refresher: TokenRefresher;
}

/**
 * Tokens this close to expiry are not handed to a test, which could outlive them mid-request: 30 s,
 * or half their lifetime for tokens that live shorter than a minute (test pools).
 */
const MIN_LIFE_MS = 30_000;
const minLife = (t: TokenSet) => Math.min(MIN_LIFE_MS, (t.expiresIn * 1000) / 2);

export class WorkerSessions {
  private readonly users = new Map<string, Promise<UserSession>>();

  constructor(private readonly request: SessionRequest) {}

  /** The user's current tokens; `user` undefined means the first configured user. */
  async tokens(user: string | undefined): Promise<{ name: string; tokens: TokenSet }> {
    const key = user?.toLowerCase() ?? '';
    let pending = this.users.get(key);
    if (!pending) {
      pending = this.start(user);
      this.users.set(key, pending);
      // A failed sign-in is not remembered: the next test tries again (and reports its own error).
      pending.catch(() => this.users.delete(key));
    }
    const session = await pending;
    const current = session.refresher.current(session.name);
    if (current && current.accessTokenExpiresAt - Date.now() > minLife(current)) return { name: session.name, tokens: current };
    // The background refresh did not get there (refused, or the worker slept): acquire afresh, which
    // goes through the cache and the refresh grant before any browser.
    this.users.delete(key);
    await session.refresher.stop();
    return this.tokens(user);
  }

  private async start(user: string | undefined): Promise<UserSession> {
    const { config, cache, users } = await signIn({ ...this.request, ...(user ? { userNames: [user] } : { firstUserOnly: true }) });
    const signedIn = users[0]!;
    const refresher = startRunRefresher({ config, logger: this.request.logger, users: [signedIn], ...(cache ? { cache } : {}) });
    return { name: signedIn.name, refresher };
  }

  async close(): Promise<void> {
    const sessions = await Promise.allSettled(this.users.values());
    this.users.clear();
    await Promise.all(sessions.map((s) => (s.status === 'fulfilled' ? s.value.refresher.stop() : undefined)));
  }
}
