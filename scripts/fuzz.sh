#!/usr/bin/env bash
# Runs every Fuzz* function in the repository, one after another, for
# FUZZTIME each (default 5s; `make fuzz FUZZTIME=10m` for a long run). The
# list is found, not written down: a new fuzzer is run without editing this.
# go test -fuzz takes one target per package, hence one run per function.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-5s}
targets=$(grep -rHo --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]+' --exclude-dir=node_modules . | sed -E 's#^\./(.*)/[^/]+:func (Fuzz[A-Za-z0-9_]+)$#\1 \2#' | sort -u)
n=$(echo "$targets" | wc -l)
echo "fuzz: $n targets, $FUZZTIME each"
i=0; failed=0
while read -r dir name; do
  i=$((i+1))
  start=$(date +%s)
  if out=$(go test "./$dir" ${FUZZFLAGS:-} -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" 2>&1); then
    execs=$(echo "$out" | grep -Eo 'execs: [0-9]+' | tail -1 || true)
    echo "fuzz: [$i/$n] ok   $dir $name ($(( $(date +%s) - start ))s, ${execs:-no count})"
  else
    failed=$((failed+1))
    echo "fuzz: [$i/$n] FAIL $dir $name"
    echo "$out" | tail -30
  fi
done <<< "$targets"
if [ "$failed" -ne 0 ]; then echo "fuzz: $failed of $n targets failed (the failing input is under testdata/fuzz)"; exit 1; fi
echo "fuzz: all $n targets ran $FUZZTIME with no failure"
