// `cognito-newman run <collection> [newman options]`: commander's flags become a run plan, then the
// run every entry point shares (session/run.ts).
import type { Logger } from '../log.js';
import { toNewmanRunOptions, type ParsedNewmanArgs } from '../newman/options.js';
import { executeRun } from '../session/run.js';

export interface RunFlags extends ParsedNewmanArgs, Record<string, unknown> {
  authToken: 'access' | 'id';
  shard?: string;
  reportsDir?: string;
  cache?: boolean;
  envFile?: string;
  allowUndefinedVariables?: boolean;
}

export async function runRunCommand(collectionArg: string, flags: RunFlags, logger: Logger): Promise<number> {
  const result = await executeRun({
    collection: collectionArg,
    plan: toNewmanRunOptions(flags),
    ...(flags.shard ? { shard: flags.shard } : {}),
    reportsDir: flags.reportsDir ?? 'reports',
    authToken: flags.authToken,
    flags,
    logger,
  });
  return result.exitCode;
}
