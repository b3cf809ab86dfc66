#!/usr/bin/env bash
# Action step 1: install cognito-newman from the action's own checkout ($GITHUB_ACTION_PATH): its
# dependencies and dist/ (npm ci runs the build). A checkout that is already installed (this
# repository's own workflows, or a second use of the action in one job) is used as it is.
set -euo pipefail

root="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set: run this as a step of action.yml}"
cli="$root/dist/src/cli.js"
if [ -f "$cli" ] && [ -d "$root/node_modules/newman" ]; then
  echo "cognito-newman is already installed in $root."
else
  echo "Installing cognito-newman in $root (npm ci)..."
  # The browser has a step of its own (browser.sh), which can also bring the system libraries.
  (cd "$root" && COGNITO_NEWMAN_SKIP_BROWSER_INSTALL=1 npm ci --no-audit --no-fund --loglevel=error)
fi
version="$(node "$cli" --version)"
echo "cognito-newman $version, Node $(node --version)"
echo "COGNITO_NEWMAN_CLI=$cli" >> "${GITHUB_ENV:?}"
