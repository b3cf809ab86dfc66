// Taking a one-time code out of a message a person would read: the text body of an email (MIME
// parsed by postal-mime, a well-kept parser with no dependencies, never by hand) or an SMS text. The code is a run of
// 6 to 8 digits (Cognito's codes); when several runs appear, the one after the word "code" wins.
import PostalMime, { type Address } from 'postal-mime';

/** One message as the sources hand it over: who it was for, when it arrived, and its text. */
export interface CodeMessage {
  /** Addresses (email) or phone numbers it was sent to. */
  to: string[];
  /** When it arrived (the source's timestamp), if known. */
  at?: Date;
  /** The plain text body (or the SMS text). Never logged. */
  text: string;
}

const RUN = /(?<![\d])(\d{6,8})(?![\d])/g;

/** The code in `text`, or undefined. */
export function extractCode(text: string): string | undefined {
  const runs = [...text.matchAll(RUN)];
  if (runs.length === 0) return undefined;
  // "Your verification code is 12345678." : prefer the run that follows the word code.
  const afterWord = runs.find((m) => /code\D{0,40}$/i.test(text.slice(Math.max(0, (m.index ?? 0) - 60), m.index)));
  return (afterWord ?? runs[0])![1];
}

/** A raw RFC 5322 message (SES receiving's S3 object, an IMAP fetch, a .eml file) as a CodeMessage. */
export async function parseMime(raw: Buffer | string): Promise<CodeMessage> {
  const mail = await PostalMime.parse(raw);
  const to: string[] = [];
  // An address may be a group ("undisclosed-recipients: a@b, c@d;"): its members count.
  const collect = (list: Address[] | undefined) => {
    for (const a of list ?? []) {
      if (a.address) to.push(a.address.toLowerCase());
      for (const member of a.group ?? []) if (member.address) to.push(member.address.toLowerCase());
    }
  };
  collect(mail.to);
  collect(mail.cc);
  // Some relays keep the envelope recipient only in headers such as Delivered-To / X-Original-To.
  for (const h of mail.headers) {
    if (h.key === 'delivered-to' || h.key === 'x-original-to') to.push(h.value.trim().toLowerCase().replace(/^<|>$/g, ''));
  }
  const text = mail.text ?? (typeof mail.html === 'string' ? mail.html.replace(/<[^>]+>/g, ' ') : '');
  const at = mail.date ? new Date(mail.date) : undefined;
  return { to, ...(at && !Number.isNaN(at.getTime()) ? { at } : {}), text };
}

/** An SMS record as sinks write it: JSON with the phone number and the text (SNS-like field names tolerated). */
export function parseSmsRecord(json: unknown): CodeMessage | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const o = json as Record<string, unknown>;
  const str = (...keys: string[]) => keys.map((k) => o[k]).find((v): v is string => typeof v === 'string');
  const text = str('message', 'Message', 'text', 'body', 'Body');
  if (text === undefined) return undefined;
  const to = str('phoneNumber', 'PhoneNumber', 'to', 'To', 'destination', 'destinationPhoneNumber', 'email');
  const when = str('timestamp', 'Timestamp', 'at', 'date');
  const at = when ? new Date(when) : undefined;
  return { to: to ? [to.toLowerCase()] : [], ...(at && !Number.isNaN(at.getTime()) ? { at } : {}), text };
}

/** A file's content as messages: JSON lines (SMS sinks), one JSON object, or a MIME message. */
export async function parseRecordText(content: string): Promise<CodeMessage[]> {
  const trimmed = content.trim();
  if (trimmed.startsWith('{')) {
    const out: CodeMessage[] = [];
    for (const line of trimmed.split(/\r?\n/)) {
      try {
        const m = parseSmsRecord(JSON.parse(line));
        if (m) out.push(m);
      } catch {
        // Not JSON lines: the whole file may be one (pretty-printed) object.
        try {
          const m = parseSmsRecord(JSON.parse(trimmed));
          return m ? [m] : [];
        } catch {
          return [];
        }
      }
    }
    return out;
  }
  if (/^[\w-]+:\s/m.test(trimmed.split(/\r?\n\r?\n/, 1)[0] ?? '')) return [await parseMime(content)];
  // A bare text file (some SMS sinks): no recipient is known.
  return trimmed ? [{ to: [], text: trimmed }] : [];
}

/** Whether a message was for `address` (an email address or a phone number; phones compared by digits). */
export function addressedTo(m: CodeMessage, address: string | undefined): boolean {
  if (!address) return true;
  const a = address.trim().toLowerCase();
  if (m.to.length === 0) return false;
  if (a.includes('@')) return m.to.some((t) => t.includes('@') && t.trim() === a);
  const digits = a.replace(/\D/g, '');
  return digits.length >= 6 && m.to.some((t) => t.replace(/\D/g, '').endsWith(digits) || digits.endsWith(t.replace(/\D/g, '')) && t.replace(/\D/g, '').length >= 6);
}
