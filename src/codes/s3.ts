// Codes from S3, where SES email receiving leaves each message as a raw MIME object (an S3 action
// of a receipt rule), and where SMS sinks often put one JSON object per message. The AWS SDK's
// default chain supplies credentials and region; AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL) points
// it elsewhere (moto_server, LocalStack), with path-style addressing since those serve no bucket hosts.
import { GetObjectCommand, ListObjectsV2Command, S3Client, type _Object } from '@aws-sdk/client-s3';
import type { CodeSource } from '../config/factors.js';
import { parseMime, parseSmsRecord, type CodeMessage } from './extract.js';
import { SourceError, type CodeReader, type ReaderContext } from './reader.js';

type S3Source = Extract<CodeSource, { kind: 's3' }>;

/** Objects older than the baseline by more than this are never read (clock skew between AWS and here). */
const SKEW_MS = 60_000;
/** Pages listed at most per poll (1000 keys each): a prefix is expected to be one test inbox. */
const MAX_PAGES = 5;

const FATAL = new Set(['AccessDenied', 'NoSuchBucket', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AllAccessDisabled', 'PermanentRedirect', 'AuthorizationHeaderMalformed', 'CredentialsProviderError']);

function fixFor(name: string, source: S3Source): string {
  switch (name) {
    case 'NoSuchBucket':
      return `Create the bucket ${source.bucket} or correct the code source; SES receiving must write there (a receipt rule's S3 action).`;
    case 'AccessDenied':
    case 'AllAccessDisabled':
      return `Allow s3:ListBucket on arn:aws:s3:::${source.bucket} and s3:GetObject on arn:aws:s3:::${source.bucket}/${source.prefix}* for the credentials this run uses.`;
    case 'PermanentRedirect':
    case 'AuthorizationHeaderMalformed':
      return `Set AWS_REGION to the bucket's region.`;
    default:
      return 'Check the AWS credentials (the SDK\'s default chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, a role) and AWS_REGION.';
  }
}

export function s3Reader(source: S3Source, ctx: ReaderContext): CodeReader {
  const endpoint = ctx.env.AWS_ENDPOINT_URL_S3 ?? ctx.env.AWS_ENDPOINT_URL;
  const client = new S3Client({
    region: ctx.env.AWS_REGION ?? ctx.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    // Keys given in this environment (the library's `env` option) win; otherwise the SDK's default chain.
    ...(ctx.env.AWS_ACCESS_KEY_ID && ctx.env.AWS_SECRET_ACCESS_KEY
      ? { credentials: { accessKeyId: ctx.env.AWS_ACCESS_KEY_ID, secretAccessKey: ctx.env.AWS_SECRET_ACCESS_KEY, ...(ctx.env.AWS_SESSION_TOKEN ? { sessionToken: ctx.env.AWS_SESSION_TOKEN } : {}) } }
      : {}),
    maxAttempts: 2,
  });
  const seen = new Set<string>();
  const cache = new Map<string, (CodeMessage & { key: string })[]>();
  let since = 0;

  const call = async <T>(what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    try {
      return await fn(AbortSignal.timeout(ctx.requestTimeoutMs));
    } catch (e) {
      const name = (e as { name?: string }).name ?? 'Error';
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      throw new SourceError(`${source.display}: ${what} failed (${name}${status ? `, HTTP ${status}` : ''})`, FATAL.has(name) || status === 403, fixFor(name, source));
    }
  };
  const listAll = async (): Promise<_Object[]> => {
    const out: _Object[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const r = await call('ListObjectsV2', (abortSignal) =>
        client.send(new ListObjectsV2Command({ Bucket: source.bucket, Prefix: source.prefix, ...(token ? { ContinuationToken: token } : {}) }), { abortSignal }),
      );
      out.push(...(r.Contents ?? []));
      if (!r.IsTruncated || !r.NextContinuationToken) break;
      token = r.NextContinuationToken;
    }
    return out;
  };

  return {
    async baseline(at) {
      since = at;
      // S3 times have whole seconds: an object of the same second as the baseline counts as new.
      for (const o of await listAll()) if (o.Key && (!o.LastModified || o.LastModified.getTime() < at - 1_000)) seen.add(o.Key);
    },
    async poll() {
      const fresh = (await listAll())
        .filter((o) => o.Key && !seen.has(o.Key) && (!o.LastModified || o.LastModified.getTime() >= since - SKEW_MS))
        .sort((a, b) => (b.LastModified?.getTime() ?? 0) - (a.LastModified?.getTime() ?? 0))
        .slice(0, 20);
      const out: (CodeMessage & { key: string })[] = [];
      for (const o of fresh) {
        const key = o.Key!;
        let msgs = cache.get(key);
        if (!msgs) {
          const r = await call('GetObject', (abortSignal) => client.send(new GetObjectCommand({ Bucket: source.bucket, Key: key }), { abortSignal }));
          const body = Buffer.from((await r.Body?.transformToByteArray()) ?? []);
          const text = body.toString('utf8');
          let parsed: CodeMessage | undefined;
          if (text.trimStart().startsWith('{')) {
            try {
              parsed = parseSmsRecord(JSON.parse(text));
            } catch {
              parsed = undefined;
            }
          } else parsed = await parseMime(body);
          msgs = parsed ? [{ ...parsed, at: parsed.at ?? o.LastModified ?? new Date(), key }] : [];
          cache.set(key, msgs);
        }
        out.push(...msgs);
      }
      return out;
    },
    async probe() {
      await call('ListObjectsV2', (abortSignal) => client.send(new ListObjectsV2Command({ Bucket: source.bucket, Prefix: source.prefix, MaxKeys: 1 }), { abortSignal }));
    },
    async close() {
      client.destroy();
    },
  };
}
