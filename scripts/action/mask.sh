#!/usr/bin/env bash
# Action step 1: announce every secret given to the action in its environment (test-user passwords
# and TOTP secrets, a client secret) with ::add-mask:: before any other step can print anything.
# Secrets learnt later (from Secrets Manager, the tokens) are masked by the tool the moment it learns
# them (GITHUB_ACTIONS=true). Never prints a secret other than inside the mask command itself.
set -euo pipefail

count=0
while IFS= read -r name; do
  value="${!name-}"
  [ -n "$value" ] || continue
  # A multi-line value is masked line by line, as the runner matches each line on its own.
  while IFS= read -r line; do
    [ -n "$line" ] && printf '::add-mask::%s\n' "$line"
  done <<< "$value"
  count=$((count + 1))
done < <(compgen -e | grep -E '^(TEST_USER(_[A-Z0-9_]+)?_(PASSWORD|TOTP_SECRET)|COGNITO_CLIENT_SECRET)$' || true)
echo "cognito-newman: masked $count secret value(s) from the environment."
