// `cognito-newman convert <v3 folder> [-o file]`: a Postman v3 (Git-native) collection folder as
// Postman v2.1 JSON, for plain Newman or any tool that imports 2.1. The JSON goes to stdout (or the
// file); what 2.1 or Newman cannot express goes to stderr, one warning line each.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { localFailure, usageError } from '../errors.js';
import type { Logger } from '../log.js';
import { isV3CollectionPath } from '../newman/v3/detect.js';

export interface ConvertFlags {
  output?: string;
}

export async function runConvertCommand(folder: string, flags: ConvertFlags, logger: Logger): Promise<number> {
  if (!(await isV3CollectionPath(folder))) {
    throw usageError('COLLECTION_NOT_FOUND', `${folder} is not a folder.`, {
      hint: "convert takes a Postman v3 collection's folder (postman/collections/<name> in a Git-native workspace); a v2.1 JSON file needs no conversion.",
    });
  }
  const { convertV3ToV21 } = await import('../newman/v3/read.js');
  // File references (formdata files, file bodies) stay relative to where Newman will resolve them:
  // its working directory, which is this one unless the user says otherwise (`newman run --working-dir`).
  const { collection, warnings } = await convertV3ToV21(folder, { relativeTo: process.cwd() });
  for (const w of warnings) logger.warn(w);
  const json = JSON.stringify(collection, null, 2) + '\n';
  if (!flags.output || flags.output === '-') {
    process.stdout.write(json);
    return 0;
  }
  const target = resolve(flags.output);
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, json);
  } catch (cause) {
    throw localFailure('OUTPUT_UNWRITABLE', `The converted collection could not be written to ${flags.output} (${(cause as { code?: string }).code ?? 'error'}).`, {
      hint: 'Choose a path in a folder you can write, or leave out -o to print it.',
      cause,
    });
  }
  logger.info(`wrote ${flags.output} (Postman Collection v2.1)`);
  return 0;
}
