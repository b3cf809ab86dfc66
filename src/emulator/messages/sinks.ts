// Where the emulator delivers its emails and SMS: an S3 bucket (the raw MIME message, as SES email
// receiving leaves it; SMS as one JSON object each), an SMTP server (a team's Mailpit or MailHog,
// or one a test starts), or local files (one .eml per email, one JSON line per SMS).
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createTransport } from 'nodemailer';
import type { SinkConfig } from '../config.js';
import type { EmailMessage } from './compose.js';

export interface SmsRecord {
  phoneNumber: string;
  message: string;
  timestamp: string;
  username: string;
}

/** How long one delivery may take before the sign-in step reports a failure. */
const DELIVERY_TIMEOUT_MS = 10_000;

type S3Sink = Extract<SinkConfig, { type: 's3' }>;

const s3Clients = new Map<string, S3Client>();
function s3For(sink: S3Sink): S3Client {
  const key = `${sink.endpoint ?? ''}|${sink.region ?? ''}|${sink.forcePathStyle}`;
  let client = s3Clients.get(key);
  if (!client) {
    client = new S3Client({
      ...(sink.endpoint ? { endpoint: sink.endpoint } : {}),
      region: sink.region ?? process.env.AWS_REGION ?? 'us-east-1',
      forcePathStyle: sink.forcePathStyle,
      maxAttempts: 2,
    });
    s3Clients.set(key, client);
  }
  return client;
}

async function putS3(sink: S3Sink, key: string, body: string, contentType: string): Promise<void> {
  await s3For(sink).send(new PutObjectCommand({ Bucket: sink.bucket, Key: `${sink.prefix}${key}`, Body: body, ContentType: contentType }), {
    abortSignal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
  });
}

/** A name that sorts by time and never collides: 2026-12-07T00-01-02.345Z-<uuid>. */
const timeName = (at: Date) => `${at.toISOString().replace(/:/g, '-')}-${randomUUID()}`;

export async function deliverEmail(sink: SinkConfig, message: EmailMessage, at: Date): Promise<void> {
  switch (sink.type) {
    case 's3':
      // SES receiving names the object by its message id, no extension.
      return putS3(sink, message.messageId.replace(/^<|@.*$/g, ''), message.raw, 'message/rfc822');
    case 'smtp': {
      const transport = createTransport({
        host: sink.host,
        port: sink.port,
        secure: sink.secure,
        // A local capture server: no STARTTLS upgrade unless the sink says secure.
        ignoreTLS: !sink.secure,
        connectionTimeout: DELIVERY_TIMEOUT_MS,
        greetingTimeout: DELIVERY_TIMEOUT_MS,
        socketTimeout: DELIVERY_TIMEOUT_MS,
      });
      try {
        await transport.sendMail({ envelope: { from: message.from, to: [message.to] }, raw: message.raw });
      } finally {
        transport.close();
      }
      return;
    }
    case 'file':
      await mkdir(sink.path, { recursive: true });
      await writeFile(join(sink.path, `${timeName(at)}.eml`), message.raw, { mode: 0o600 });
      return;
  }
}

export async function deliverSms(sink: SinkConfig, sms: SmsRecord, at: Date): Promise<void> {
  const line = JSON.stringify(sms);
  switch (sink.type) {
    case 's3':
      return putS3(sink, `${timeName(at)}.json`, line, 'application/json');
    case 'file':
      await mkdir(dirname(sink.path), { recursive: true });
      await appendFile(sink.path, `${line}\n`, { mode: 0o600 });
      return;
    case 'smtp':
      throw new Error('an SMTP sink cannot take SMS messages; use an s3 or file sink for sms');
  }
}
