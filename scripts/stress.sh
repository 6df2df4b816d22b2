#!/usr/bin/env bash
# `npm run test:stress`: the whole suite, as `npm test` runs it after the bootstrap (typecheck,
# lint, every jest test), three times in a row while two CPU-bound processes run beside it, as on
# a busy 2-core machine. It proves that no test depends on a budget a loaded machine can miss.
# Prints each run's counts; exits non-zero if any run failed. The burners stop when it exits,
# however it exits. STRESS_RUNS=N changes the number of runs.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh || exit 1

runs="${STRESS_RUNS:-3}"
logs="$(mktemp -d)"
burners=()
stop_burners() {
  for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${burners[@]}"; do wait "$pid" 2>/dev/null; done
  burners=()
}
trap stop_burners EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for _ in 1 2; do
  yes >/dev/null &
  burners+=("$!")
done
echo "stress: ${runs} runs of the whole suite beside 2 CPU burners (pids ${burners[*]}); logs in ${logs}"

results=()
failed=0
for run in $(seq 1 "$runs"); do
  log="${logs}/run-${run}.log"
  started=$SECONDS
  echo "stress: run ${run} of ${runs}"
  # The same commands as `npm test` after its bootstrap.
  (npm run typecheck && npm run lint && NODE_OPTIONS=--experimental-vm-modules jest) 2>&1 | tee "$log"
  code=${PIPESTATUS[0]}
  counts="$(grep -E '^tests: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)"
  [ -n "$counts" ] || counts='tests: no count (typecheck or lint failed, or jest did not finish)'
  if [ "$code" -ne 0 ]; then
    failed=$((failed + 1))
    status="FAIL (exit ${code})"
  else
    status='pass'
  fi
  results+=("run ${run}: ${status}, ${counts#tests: }, $((SECONDS - started)) s")
done

stop_burners
echo
echo "stress: ${runs} runs beside 2 CPU burners"
for line in "${results[@]}"; do echo "  ${line}"; done
if [ "$failed" -gt 0 ]; then
  echo "stress: ${failed} of ${runs} runs failed; logs in ${logs}" >&2
  exit 1
fi
echo "stress: all ${runs} runs passed"
