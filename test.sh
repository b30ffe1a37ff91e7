#!/usr/bin/env bash
# Runs every test of the suite, as CI does, in less time than `./mvnw verify`:
#  1. builds, packages and installs every module once, tests skipped;
#  2. runs the modules' tests in two lanes side by side, each lane a Maven run of its own over some
#     modules, each test starting the services packaged in step 1.
# `./mvnw verify` alone runs the same tests one module after another, each service's tests waiting for
# the tests of every service they start (the modules' `peers-built-first` profile). Most tests wait on
# peers, timers and processes more than they compute, so lanes side by side keep both cores busier. The
# lanes are balanced by what each module's tests take and keep the two kill-heavy modules,
# recovery-service and backup-service, apart. Two lanes, not three: with three, the same tests took
# about 15 % more CPU (processes starting side by side, services' periodic work while tests wait
# longer) for no shorter run.
# -Dpeers.packaged drops that ordering; -Dquarkus.build.skip keeps the step-1 packages that other
# modules' tests are running while a module's own tests run; -Dquarkus.generate-code.skip keeps the code
# step 1 generated (Quarkus' code generation costs each service module's lane run about 3.5 CPU-seconds
# to find nothing new). Extra arguments go to every Maven run.
# Each lane's output is in target/test-lanes/; a failing lane's is printed at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
./mvnw -B -T 2 install -DskipTests -Dpeers.packaged "$@"

lanes=(
  "dr-text,dr-common,dr-s3,dr-embedded,dr-test-support,recovery-service,status-service,notification-service"
  "backup-service,dr-cli,dr-launcher,helm"
)
# Maven runs side by side share the local repository: file locks keep two of them from writing one
# artifact at once (a first run downloads the test plugins' providers in each lane).
locks=(-Daether.syncContext.named.factory=file-lock -Daether.syncContext.named.nameMapper=file-gav)
logs=target/test-lanes
mkdir -p "$logs"
pids=()
for i in "${!lanes[@]}"; do
  echo "[test.sh] lane $((i + 1)): ${lanes[$i]} (output in $logs/lane-$((i + 1)).log)"
  ./mvnw -B -fae verify -pl "${lanes[$i]}" -Dpeers.packaged -Dquarkus.build.skip=true -Dquarkus.generate-code.skip=true "${locks[@]}" "$@" > "$logs/lane-$((i + 1)).log" 2>&1 &
  pids+=($!)
done

trap 'kill "${pids[@]}" 2>/dev/null' INT TERM
# A line a minute: what each lane runs now.
started=$SECONDS
next=60
# (Not `jobs -r | grep -q .`: under pipefail, jobs killed by SIGPIPE when grep quits early ends the loop.)
while [ -n "$(jobs -rp)" ]; do
  sleep 5
  if (( SECONDS - started >= next )); then
    next=$((next + 60))
    for i in "${!lanes[@]}"; do
      now=$({ grep -E '^\[INFO\] (Running|Building) ' "$logs/lane-$((i + 1)).log" || true; } | tail -1 | sed 's/^\[INFO\] //')
      echo "[test.sh] $(( (SECONDS - started) / 60 )) min, lane $((i + 1)): ${now:-starting}"
    done
  fi
done

failed=()
for i in "${!pids[@]}"; do
  if wait "${pids[$i]}"; then
    echo "[test.sh] lane $((i + 1)) passed: $(grep -E '^\[(INFO|WARNING)\] Tests run: [0-9]+, .*Skipped: [0-9]+$' "$logs/lane-$((i + 1)).log" \
      | awk -F'[ ,]+' '{n += $4} END {print n " tests"}')"
  else
    failed+=($((i + 1)))
  fi
done
for lane in "${failed[@]}"; do
  echo "[test.sh] lane $lane FAILED (${lanes[$((lane - 1))]}); its failures and the end of its output:"
  grep -E '<<< (FAILURE|ERROR)|^\[ERROR\]' "$logs/lane-$lane.log" | head -60 || true
  tail -40 "$logs/lane-$lane.log"
done
[ ${#failed[@]} -eq 0 ]
