#!/usr/bin/env node
// `npm run api-test [-- newman flags]`: runs the team's collection (API_TEST_COLLECTION: a 2.1 JSON
// file or URL, or a Postman v12 (Git-native) collection folder; API_TEST_ENVIRONMENT: 2.1 JSON or
// v12 YAML) through `cognito-newman run`, configured by .env and the environment.
// Plain JS so it needs nothing but the built CLI; extra arguments go straight to `run`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'src', 'cli.js');
// The process environment wins over .env, as in the configuration order of the CLI itself.
const fromFile = {};
dotenv.config({ path: resolve(process.cwd(), '.env'), processEnv: fromFile, quiet: true });
const pick = (key) => process.env[key] || fromFile[key] || undefined;

const collection = pick('API_TEST_COLLECTION');
if (!collection) {
  process.stderr.write(
    'error [CONFIG_INVALID]: API_TEST_COLLECTION is not set, so `npm run api-test` does not know which collection to run. ' +
      'Set it in .env (see .env.example) to the path of your exported Postman collection (or of a Postman v12 collection folder), or run the CLI directly: `npm run -s cn -- run <collection>` in the cognito-newman checkout, `npx cognito-newman run <collection>` in a project that installed it.\n',
  );
  process.exit(2);
}
if (!existsSync(cli)) {
  process.stderr.write('error [NOT_BUILT]: dist/ is missing, so the CLI cannot run. Run `npm run build` (npm ci does it for you) and try again.\n');
  process.exit(5);
}
const environment = pick('API_TEST_ENVIRONMENT');
const args = [cli, 'run', collection, ...(environment ? ['-e', environment] : []), ...process.argv.slice(2)];
const child = spawn(process.execPath, args, { stdio: 'inherit' });
const forward = (sig) => () => child.kill(sig);
process.on('SIGINT', forward('SIGINT'));
process.on('SIGTERM', forward('SIGTERM'));
child.on('close', (code, signal) => process.exit(code ?? (signal ? 4 : 0)));
