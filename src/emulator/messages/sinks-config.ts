// The `messageSinks` option of startEmulator and the `--message-sinks` file: the same shape as a
// pool's `MessageSinks`, checked with the pool's schema so a bad sink is exit 2 naming the field.
import { readFile } from 'node:fs/promises';
import { usageError } from '../../errors.js';
import { formatPath, MessageSinksSchema, type MessageSinksConfig } from '../config.js';

export type MessageSinksInput = Record<string, unknown>;

export function parseMessageSinks(input: unknown, source = 'messageSinks'): MessageSinksConfig {
  const r = MessageSinksSchema.safeParse(input);
  if (!r.success) {
    const first = r.error.issues[0];
    throw usageError('EMULATOR_BAD_CONFIG', `The emulator ${source} is invalid at ${first ? formatPath(first.path) : '(root)'}: ${first?.message ?? 'invalid'}.`, {
      hint: 'Give {"email": {"type": "s3"|"smtp"|"file", ...}, "sms": {"type": "s3"|"file", ...}} (see docs/hosted-ui-pages.md).',
    });
  }
  return r.data;
}

/** Read `--message-sinks <file>`: unreadable or invalid is exit 2 naming the file and field. */
export async function loadMessageSinksFile(path: string): Promise<MessageSinksConfig> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw usageError('EMULATOR_BAD_CONFIG', `The message sinks file ${path} could not be read as JSON (${(cause as Error).message}).`, {
      hint: 'Give a JSON object such as {"email": {"type": "file", "path": "./mail"}}.',
      cause,
    });
  }
  return parseMessageSinks(json, `message sinks file ${path}`);
}
