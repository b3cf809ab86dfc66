// The GitHub Action's mask step (scripts/action/mask.sh runs `node dist/src/action/mask-env.js`):
// announce every secret given to the action in its environment (test-user passwords and TOTP
// secrets, a client secret: the variables config/keys.ts calls secret) through mask.ts, the one
// writer of mask commands, before a step of the action signs in or starts a browser. Secrets learnt
// later (from Secrets Manager, the tokens) are masked by the tool the moment it learns them. Prints
// no secret other than inside the mask commands, which the runner consumes.
import { isSecretKey } from '../config/keys.js';
import { addMaskCommands } from '../mask.js';

const values = Object.entries(process.env)
  .filter((entry): entry is [string, string] => isSecretKey(entry[0]) && typeof entry[1] === 'string' && entry[1].trim() !== '')
  .map(([, value]) => value);
process.stdout.write(addMaskCommands(values));
process.stdout.write(`cognito-newman: masked ${values.length} secret value(s) from the environment.\n`);
