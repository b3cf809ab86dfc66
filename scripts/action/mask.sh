#!/usr/bin/env bash
# Action step 2: announce every secret given to the action in its environment (test-user passwords
# and TOTP secrets, a client secret) with ::add-mask:: before a step of the action signs in or
# starts a browser. The commands come from the tool's own mask writer (src/mask.ts: escaped, line by line,
# JSON field by field), the one the CLI and the library use, so it runs after the install step.
# Secrets learnt later (from Secrets Manager, the tokens) are masked by the tool the moment it
# learns them (GITHUB_ACTIONS=true).
set -euo pipefail

root="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set: run this as a step of action.yml}"
node "$root/dist/src/action/mask-env.js"
