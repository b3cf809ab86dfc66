// The emulator's sense of time: real time plus an offset tests can move, so code expiry (5 min),
// token lifetimes, the 1-hour session and lockouts can be proven without waiting.

/** Anything that tells the time in epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** A clock tests steer: `advance` jumps ahead, `set` jumps to an instant, `reset` returns to real time. */
export interface ControllableClock extends Clock {
  /** Move time forward (or back, with a negative value) by `ms`; time keeps flowing afterwards. */
  advance(ms: number): void;
  /** Jump to `epochMs` (a number or a Date); time keeps flowing from there. */
  set(epochMs: number | Date): void;
  /** Back to the base clock's time. */
  reset(): void;
  /** Current offset from the base clock, in ms. */
  readonly offsetMs: number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Wrap a base clock (the system clock by default) in an offset that tests control. */
export function createControllableClock(base: Clock = systemClock): ControllableClock {
  let offset = 0;
  return {
    now: () => base.now() + offset,
    advance(ms: number) {
      if (!Number.isFinite(ms)) throw new TypeError('clock.advance needs a finite number of milliseconds');
      offset += ms;
    },
    set(epochMs: number | Date) {
      const t = epochMs instanceof Date ? epochMs.getTime() : epochMs;
      if (!Number.isFinite(t)) throw new TypeError('clock.set needs a finite epoch time');
      offset = t - base.now();
    },
    reset() {
      offset = 0;
    },
    get offsetMs() {
      return offset;
    },
  };
}

/** Seconds since the epoch, as JWT `iat`/`exp`/`auth_time` want them. */
export const epochSeconds = (clock: Clock): number => Math.floor(clock.now() / 1000);
