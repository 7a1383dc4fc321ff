#!/usr/bin/env bash
# npm test: the files whose timing depends most on the machine (the demo, control-plane replicas on etcd, the failure
# rules: many processes each, against real deadlines) one at a time, then every other file two at a time (Node's
# default on 2 cores is one), which halves CI's time. Both parts always run; either failing fails the run.
set -u -o pipefail
shopt -s globstar nullglob
cd "$(dirname "$0")/.."
serial=(test/demo/**/*.test.ts test/control/replicas/**/*.test.ts test/control/failure-rules/**/*.test.ts)
declare -A alone=()
for f in "${serial[@]}"; do alone[$f]=1; done
rest=()
for f in test/**/*.test.ts; do [ -z "${alone[$f]:-}" ] && rest+=("$f"); done
node --import tsx --test --test-reporter=spec "${serial[@]}"; first=$?
node --import tsx --test --test-concurrency=2 --test-reporter=spec "${rest[@]}"; second=$?
exit $(( first != 0 || second != 0 ))
