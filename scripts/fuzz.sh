#!/usr/bin/env bash
# Runs every Fuzz* function in the repository, one after another, for
# FUZZTIME each (default 5s; `make fuzz FUZZTIME=10m` for a long run). The
# list is found, not written down: a new fuzzer is run without editing this.
# go test -fuzz takes one target per package, hence one run per function.
#
# Go 1.26's fuzz coordinator can fail a target at the -fuzztime boundary with
# a bare "context deadline exceeded" and no failing input (golang/go#75804,
# fixed in Go 1.27): the deadline reaches the parent context before the
# workers' child context, and the worker's shutdown is reported as a failure.
# Such a run, and only such a run, is tried once more; a failing input, a
# panic or a second boundary failure fails the target.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-5s}
targets=$(grep -rHo --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]+' --exclude-dir=node_modules . | sed -E 's#^\./(.*)/[^/]+:func (Fuzz[A-Za-z0-9_]+)$#\1 \2#' | sort -u)
n=$(echo "$targets" | wc -l)
echo "fuzz: $n targets, $FUZZTIME each"

# boundary_race says whether a failed run's output is the coordinator's race
# alone: the deadline message as the test's only failure, nothing written.
boundary_race() {
  grep -q '^    context deadline exceeded$' <<<"$1" &&
    ! grep -Eq 'Failing input written|panic:|_test\.go:[0-9]+:|fuzz: minimizing' <<<"$1"
}
run() { go test "./$1" ${FUZZFLAGS:-} -run '^$' -fuzz "^$2\$" -fuzztime "$FUZZTIME" 2>&1; }

i=0; failed=0
while read -r dir name; do
  i=$((i+1))
  start=$(date +%s)
  note=""
  ok=0
  if out=$(run "$dir" "$name"); then ok=1
  elif boundary_race "$out"; then
    note=", tried again after Go's fuzztime boundary race"
    if out=$(run "$dir" "$name"); then ok=1; fi
  fi
  if [ "$ok" -eq 1 ]; then
    execs=$(echo "$out" | grep -Eo 'execs: [0-9]+' | tail -1 || true)
    echo "fuzz: [$i/$n] ok   $dir $name ($(( $(date +%s) - start ))s, ${execs:-no count}$note)"
  else
    failed=$((failed+1))
    echo "fuzz: [$i/$n] FAIL $dir $name$note"
    echo "$out" | tail -30
  fi
done <<< "$targets"
if [ "$failed" -ne 0 ]; then echo "fuzz: $failed of $n targets failed (the failing input is under testdata/fuzz)"; exit 1; fi
echo "fuzz: all $n targets ran $FUZZTIME with no failure"
