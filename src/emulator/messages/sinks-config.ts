// The `messageSinks` option of startEmulator and the `--message-sinks` file: the same shape as a
// pool's `MessageSinks`, checked with the pool's schema so a bad sink is exit 2 naming the field.
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
