// Hints about a .env file that dotenv reads differently from how it looks: an unquoted `#` starts a
// comment, so `TEST_USER_PASSWORD=abc#def` is read as `abc` and the sign-in fails as a wrong
// password. Only the variable is named, never its value.
import { readFileSync } from 'node:fs';
import type { Logger } from '../log.js';
import { isSecretKey } from './keys.js';

/** Lines `KEY=value` whose unquoted value has a `#` right after other text (a comment would follow a space). */
export function unquotedHashKeys(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([\w.-]+)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    const value = m[2]!;
    if (/^["'`]/.test(value)) continue;
    if (/[^\s#]#/.test(value)) out.push(m[1]!);
  }
  return out;
}

/** Warn once per secret variable of `path` whose value dotenv cuts at an unquoted `#`. */
export function warnAboutDotenv(path: string, logger: Logger): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return;
  }
  for (const key of unquotedHashKeys(text).filter(isSecretKey)) {
    logger.warn(`${key} in ${path} has an unquoted # in its value: dotenv reads only what comes before it (the rest is a comment). Quote the value, e.g. ${key}='...#...'.`);
  }
}
