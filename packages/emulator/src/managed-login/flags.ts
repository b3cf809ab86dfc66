// The `cognito-newman emulator` flags for Managed Login's realism knobs, checked into
// ManagedLoginOptions: delays in milliseconds, the corporate form's DOM order, a texts file.
import { readFile } from 'node:fs/promises';
import { usageError } from '../../errors.js';
import { DEFAULT_TEXTS, type ManagedLoginOptions, type ManagedTexts } from './model.js';

const MAX_DELAY_MS = 60_000;

function delay(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > MAX_DELAY_MS) {
    throw usageError('EMULATOR_BAD_FLAG', `${flag} must be a whole number of milliseconds from 0 to ${MAX_DELAY_MS}, not "${value}".`, { hint: `Use for example ${flag} 300 (0 means at once).` });
  }
  return n;
}

/** Read and check the texts file: a JSON object whose keys are ManagedTexts fields, values strings. */
async function texts(path: string): Promise<Partial<ManagedTexts>> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw usageError('EMULATOR_BAD_TEXTS', `The Managed Login texts file ${path} could not be read as JSON (${(cause as Error).message}).`, { hint: 'Give a JSON object such as {"passkeyOfferDecline": "Skip for now"}.', cause });
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw usageError('EMULATOR_BAD_TEXTS', `The Managed Login texts file ${path} must hold a JSON object.`, { hint: 'Give a JSON object such as {"passkeyOfferDecline": "Skip for now"}.' });
  const known = Object.keys(DEFAULT_TEXTS);
  for (const [k, v] of Object.entries(json)) {
    if (!known.includes(k)) throw usageError('EMULATOR_BAD_TEXTS', `The Managed Login texts file ${path} has an unknown field "${k}".`, { hint: `Known fields: ${known.join(', ')}.` });
    if (typeof v !== 'string' || !v.trim()) throw usageError('EMULATOR_BAD_TEXTS', `The Managed Login texts file ${path} has a field "${k}" that is not a non-empty string.`, { hint: 'Every value is the text shown on the page.' });
  }
  return json as Partial<ManagedTexts>;
}

export async function parseManagedFlags(f: { hydrationDelay?: string; stepDelay?: string; corporateForm?: string; textsPath?: string }): Promise<ManagedLoginOptions> {
  if (f.corporateForm !== undefined && f.corporateForm !== 'before' && f.corporateForm !== 'after') {
    throw usageError('EMULATOR_BAD_FLAG', `--corporate-form must be before or after, not "${f.corporateForm}".`, { hint: 'Use --corporate-form before or --corporate-form after.' });
  }
  const hydrationDelayMs = delay('--hydration-delay', f.hydrationDelay);
  const stepDelayMs = delay('--step-delay', f.stepDelay);
  return {
    ...(hydrationDelayMs !== undefined ? { hydrationDelayMs } : {}),
    ...(stepDelayMs !== undefined ? { stepDelayMs } : {}),
    ...(f.corporateForm ? { corporateForm: f.corporateForm } : {}),
    ...(f.textsPath ? { texts: await texts(f.textsPath) } : {}),
  };
}
