// The emails and SMS texts Cognito sends with one-time codes: the texts come from the pool's own
// fields (EmailMfaConfiguration, SmsAuthenticationMessage) with Cognito-like defaults, and an email
// is built by nodemailer as a real RFC 5322 message, as a mailbox or SES receiving would hold it.
import { randomUUID } from 'node:crypto';
import { createTransport } from 'nodemailer';
import type { ResolvedPoolConfig } from '../config.js';

/** Defaults when the pool does not set its own texts (UNCERTAIN: Cognito's exact wording). */
export const DEFAULT_MESSAGE_TEXTS = {
  emailSubject: 'Your verification code',
  emailMessage: 'Your verification code is {####}.',
  smsMessage: 'Your authentication code is {####}.',
  /** Cognito's default sender when a pool uses its own email (not SES). */
  from: 'no-reply@verificationemail.com',
} as const;

export interface EmailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  /** The whole RFC 5322 message, CRLF line ends. */
  raw: string;
}

/** The email carrying `code` to `to`, with the pool's subject and text. */
export async function composeEmail(pool: ResolvedPoolConfig, to: string, code: string, date: Date): Promise<EmailMessage> {
  const subject = pool.EmailMfaConfiguration?.Subject ?? DEFAULT_MESSAGE_TEXTS.emailSubject;
  const text = (pool.EmailMfaConfiguration?.Message ?? DEFAULT_MESSAGE_TEXTS.emailMessage).replaceAll('{####}', code);
  const from = pool.EmailConfiguration?.From ?? DEFAULT_MESSAGE_TEXTS.from;
  const messageId = `<${randomUUID()}@email.amazonses.com>`;
  // nodemailer's stream transport builds the message without sending it anywhere.
  const info = await createTransport({ streamTransport: true, buffer: true, newline: 'windows' }).sendMail({ from, to, subject, text, date, messageId });
  return { from, to, subject, text, messageId, raw: (info.message as Buffer).toString('utf8') };
}

/** The SMS text carrying `code`. */
export function composeSms(pool: ResolvedPoolConfig, code: string): string {
  return (pool.SmsAuthenticationMessage ?? DEFAULT_MESSAGE_TEXTS.smsMessage).replaceAll('{####}', code);
}
