// Sign-in progress on stderr, so a slow page or pool never looks hung: on a terminal one live line
// per user (the step reached, elapsed time) that turns into the `signed in` line; elsewhere one
// plain line when a user's sign-in starts and the `signed in` line when it ends. No ANSI code is
// written unless the stream is a terminal. Quiet with --silent; plain lines with --debug.
import { redact, type Logger } from '../log.js';
import type { StepTime, StepTimes } from './steps.js';

export interface SignInProgress {
  start(user: string): void;
  step(user: string, step: StepTime): void;
  /** The final line for this user (`signed in user admin (login, 812 ms)`). */
  end(user: string, line: string): void;
  fail(user: string): void;
  /** Stop redrawing; the lines stay as last drawn. */
  close(): void;
  /** A logger whose lines print above the live block instead of being drawn over (identity when not live). */
  wrap(logger: Logger): Logger;
}

/** What a finished step means to the reader, in the words of the issue (page reached, submitted, MFA, ...). */
export function describeStep(name: string): string {
  if (name === 'read the cache') return 'token cache read';
  if (name === 'refresh grant') return 'tokens refreshed';
  if (name === 'load Playwright') return 'browser library loaded';
  if (name === 'start the browser') return 'browser started';
  if (name === 'open a context and page') return 'opening the sign-in page';
  if (name === 'callback captured') return 'callback captured, exchanging the code';
  if (name === 'exchange the code') return 'code exchanged, checking the tokens';
  if (name === 'verify tokens') return 'tokens checked';
  const mfa = /TOTP|MFA/i.test(name) ? 'MFA: ' : '';
  const shown = /^(.*) shown$/.exec(name);
  if (shown) return `${mfa}${shown[1]} reached`;
  const submitted = /^(.*) filled and submitted$/.exec(name);
  if (submitted) return `${mfa}${submitted[1]} submitted`;
  return name;
}

/** A steps array that reports each step as it is recorded (timed() and stepClock() push into it). */
export function observedSteps(onStep: (s: StepTime) => void): StepTimes {
  const steps: StepTimes = [];
  steps.push = (...items: StepTime[]) => {
    const n = Array.prototype.push.apply(steps, items);
    for (const s of items) onStep(s);
    return n;
  };
  return steps;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

interface Row {
  user: string;
  started: number;
  status: string;
  final?: string;
}

/** Live lines on a terminal: the block of user lines is redrawn in place (cursor up, clear line). */
function liveProgress(stream: NodeJS.WriteStream): SignInProgress {
  const rows: Row[] = [];
  let drawn = 0;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    let out = drawn > 0 ? `\x1b[${drawn}A` : '';
    // A pseudo-terminal may report 0 columns: assume a common width then.
    const width = Math.max(20, (stream.columns || 100) - 1);
    drawn = 0;
    for (const r of rows) {
      if (r.final) {
        // The permanent line is never cut; the rows it wraps onto are counted for the next redraw.
        out += `\r\x1b[2K${r.final}\n`;
        drawn += Math.max(1, Math.ceil(r.final.length / (width + 1)));
        continue;
      }
      const plain = `${FRAMES[frame % FRAMES.length]} ${r.user}: ${r.status}`;
      const elapsed = ` ${((Date.now() - r.started) / 1000).toFixed(1)} s`;
      // A live line fits one terminal row, or the cursor arithmetic goes wrong.
      const room = width - elapsed.length;
      out += `\r\x1b[2K${plain.length > room ? `${plain.slice(0, room - 1)}…` : plain}${DIM}${elapsed}${RESET}\n`;
      drawn += 1;
    }
    stream.write(redact(out));
  };
  const row = (user: string) => rows.find((r) => r.user === user);
  /** Clear the block, print `write`'s lines, draw the block again below them. */
  const above = (write: () => void) => {
    if (drawn > 0) stream.write(`\x1b[${drawn}A\r\x1b[J`);
    drawn = 0;
    write();
    if (rows.length) draw();
  };
  return {
    wrap: (logger) => ({
      level: logger.level,
      ...(logger.stream ? { stream: logger.stream } : {}),
      info: (m) => above(() => logger.info(m)),
      warn: (m) => above(() => logger.warn(m)),
      debug: (m) => logger.debug(m),
    }),
    start(user) {
      rows.push({ user, started: Date.now(), status: 'starting' });
      timer ??= setInterval(() => {
        frame++;
        draw();
      }, 120).unref();
      draw();
    },
    step(user, s) {
      const r = row(user);
      if (r && !r.final) r.status = describeStep(s.name);
      draw();
    },
    end(user, line) {
      const r = row(user);
      if (r) r.final = line;
      draw();
      if (rows.every((x) => x.final)) this.close();
    },
    fail(user) {
      const r = row(user);
      if (r && !r.final) r.final = `✗ ${user}: sign-in failed at "${r.status}" after ${((Date.now() - r.started) / 1000).toFixed(1)} s`;
      draw();
    },
    close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      // Users still running when the acquisition stopped (another user failed) are shown as stopped.
      if (rows.some((r) => !r.final)) {
        for (const r of rows) r.final ??= `- ${r.user}: stopped at "${r.status}"`;
        draw();
      }
    },
  };
}

/** One line at the start and the `signed in` line at the end of each user's sign-in. */
function lineProgress(logger: Logger): SignInProgress {
  return {
    start: (user) => logger.info(`signing in ${user} ...`),
    step: () => undefined,
    end: (_user, line) => logger.info(line),
    fail: () => undefined,
    close: () => undefined,
    wrap: (l) => l,
  };
}

const silent: SignInProgress = { start: () => undefined, step: () => undefined, end: () => undefined, fail: () => undefined, close: () => undefined, wrap: (l) => l };

/** The progress display that fits the logger: live on a terminal, lines elsewhere, nothing when silent. */
export function signInProgress(logger: Logger): SignInProgress {
  if (logger.level === 'silent') return silent;
  const stream = (logger as Logger & { stream?: NodeJS.WritableStream }).stream as NodeJS.WriteStream | undefined;
  // --debug prints more lines between the steps: a redrawn block would overwrite them.
  if (stream?.isTTY && logger.level === 'info') return liveProgress(stream);
  return lineProgress(logger);
}
