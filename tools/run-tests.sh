#!/usr/bin/env bash
# The test runner behind `make test`.
#
# Arguments are `criterion:BINARY` (a Criterion test binary; every test in it
# counts) or `script:PATH [args]` (any other test; exit status 0 is a pass,
# and a script may report several results by printing lines of the form
# `TEST PASS name` / `TEST FAIL name`).  Output of each item goes to
# build/test-logs/; failures are echoed.  Ends with `N passed, N failed` and
# exits non-zero if anything failed.
set -uo pipefail
logs=build/test-logs
mkdir -p "$logs"
passed=0; failed=0; failures=()

run_item() {
  local kind=${1%%:*} what=${1#*:}
  local name; name=${what%% *}; name=${name#build/host/}; name=${name//\//_}
  local log="$logs/$name.log"
  local start=$SECONDS rc
  if [ "$kind" = criterion ]; then
    "$what" --jobs 1 >"$log" 2>&1; rc=$?
    local syn; syn=$(grep -a 'Synthesis:' "$log" | tail -n1)
    if [[ $syn =~ Tested:\ ([0-9]+).*Passing:\ ([0-9]+).*Failing:\ ([0-9]+).*Crashing:\ ([0-9]+) ]]; then
      local t=${BASH_REMATCH[1]} p=${BASH_REMATCH[2]}
      passed=$((passed + p)); failed=$((failed + t - p))
      # a binary that ran no test at all is a failure, not "0 passed"
      if [ $((t - p)) -ne 0 ] || [ $rc -ne 0 ] || [ "$t" -eq 0 ]; then
        [ $((t - p)) -eq 0 ] && failed=$((failed + 1))
        failures+=("$name"); grep -a -E '\[(FAIL|----)\]|CRASH|signal' "$log" | head -n 40
      fi
      printf '%-34s %4d/%-4d tests  %3ds\n' "$name" "$p" "$t" $((SECONDS - start))
    else
      failed=$((failed + 1)); failures+=("$name")
      printf '%-34s did not run (exit %d)\n' "$name" "$rc"; tail -n 20 "$log"
    fi
  else
    # shellcheck disable=SC2086
    bash -c "$what" >"$log" 2>&1; rc=$?
    local sp sf
    sp=$(grep -a -c '^TEST PASS ' "$log"); sf=$(grep -a -c '^TEST FAIL ' "$log")
    if [ $((sp + sf)) -gt 0 ]; then
      passed=$((passed + sp)); failed=$((failed + sf))
      if [ $rc -ne 0 ] && [ "$sf" -eq 0 ]; then failed=$((failed + 1)); sf=1; fi
    elif [ $rc -eq 0 ]; then sp=1; passed=$((passed + 1))
    else sf=1; failed=$((failed + 1)); fi
    printf '%-34s %4d pass %4d fail  %3ds\n' "$name" "$sp" "$sf" $((SECONDS - start))
    if [ "$sf" -ne 0 ]; then
      failures+=("$name"); grep -a '^TEST FAIL ' "$log" | head -n 20; tail -n 25 "$log"
    fi
  fi
}

if [ -n "${BUILD_FAILED:-}" ]; then
  echo "build: FAILED (see build/build.log); tests that could be built still run"
  failed=$((failed + 1)); failures+=("build")
fi
for item in "$@"; do
  if [ "${item%%:*}" = criterion ] && [ ! -x "${item#*:}" ]; then
    failed=$((failed + 1)); failures+=("$(basename "${item#*:}")")
    printf '%-34s not built\n' "$(basename "${item#*:}")"
    continue
  fi
  run_item "$item"
done
echo
[ ${#failures[@]} -gt 0 ] && echo "failing: ${failures[*]} (logs in $logs/)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
