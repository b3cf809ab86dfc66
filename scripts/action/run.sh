#!/usr/bin/env bash
# Action step 4: run the collection with `cognito-newman run`, built from the action's inputs
# (INPUT_* variables, never interpolated into this script). The tool masks tokens as it learns them
# and appends the run's summary to the job summary; a run that stops before Newman (configuration,
# sign-in) gets its one line there too. The exit code is the step's and the `exit-code` output.
set -uo pipefail

cli="${COGNITO_NEWMAN_CLI:?the install step did not run}"
collection="${INPUT_COLLECTION:-}"
if [ -z "$collection" ]; then
  echo "::error::The collection input is empty: give the path (or URL) of a Postman collection."
  echo "exit-code=2" >> "${GITHUB_OUTPUT:?}"
  exit 2
fi
report_folder="${INPUT_REPORT_FOLDER:-reports}"
args=(run "$collection" -r "${INPUT_REPORTERS:-cli,junit,htmlextra}" --reports-dir "$report_folder")
if [ -n "${INPUT_ENVIRONMENT:-}" ]; then args+=(-e "$INPUT_ENVIRONMENT"); fi
if [ -n "${INPUT_USERS:-}" ]; then args+=(--users "$INPUT_USERS"); fi
if [ -n "${INPUT_SHARD:-}" ]; then args+=(--shard "$INPUT_SHARD"); fi
if [ -n "${INPUT_FOLDER:-}" ]; then args+=(--folder "$INPUT_FOLDER"); fi
# Further flags, one per line (e.g. "--bail" or "--timeout-request 10000"); words split, no globbing.
if [ -n "${INPUT_ARGS:-}" ]; then
  set -f
  while IFS= read -r line; do
    # shellcheck disable=SC2206
    [ -n "$line" ] && args+=($line)
  done <<< "$INPUT_ARGS"
  set +f
fi

node "$cli" "${args[@]}"
code=$?
echo "exit-code=$code" >> "$GITHUB_OUTPUT"
case "$code" in
  0 | 1) ;; # the tool wrote the run's summary itself
  *)
    meaning=(passed "assertions failed" "configuration or usage error" "sign-in rejected" "identity provider or network failure" "local environment problem")
    echo "### ❌ cognito-newman stopped before the run: exit $code (${meaning[$code]:-error}); the step's log has the error and its fix." >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
    ;;
esac
exit "$code"
