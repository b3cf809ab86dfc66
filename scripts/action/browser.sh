#!/usr/bin/env bash
# Action step 3: make sure a Chromium the tool can drive is there. The tool's own resolution decides
# (COGNITO_NEWMAN_BROWSER, Playwright's headless shell, a system one, a full Chromium); only when it
# finds none is Playwright's headless shell installed, with its system libraries on a Linux runner.
set -euo pipefail

root="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set: run this as a step of action.yml}"
find_browser() {
  node --input-type=module -e '
    const { resolveBrowser } = await import(process.argv[1]);
    try { const b = resolveBrowser(); console.log(`${b.kind} ${b.path}`); } catch { process.exit(1); }
  ' "$root/dist/src/login/browser.js"
}

if found="$(find_browser)"; then
  echo "browser: $found"
  exit 0
fi
echo "No Chromium found; installing Playwright's headless shell..."
deps=()
if [ "${RUNNER_OS:-}" = "Linux" ]; then deps=(--with-deps); fi
(cd "$root" && npx --no-install playwright install "${deps[@]}" --only-shell chromium)
found="$(find_browser)" || { echo "::error::No browser after installing Playwright's headless shell; set COGNITO_NEWMAN_BROWSER to a Chromium binary."; exit 5; }
echo "browser: $found"
