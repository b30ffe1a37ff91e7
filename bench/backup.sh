#!/usr/bin/env bash
# Benchmark: backup-service against the plan's procedure, on the same sample database, in one run.
#
#   bench/backup.sh [--users N]      (default 500000 users: a pg_dump of about 1 GB)
#
# Starts the suite with ./run.sh on its own data folder (bench/.data, kept between runs so the
# database is generated once) and ports, then times, on the sample database:
#   1. pg_dump | wc -c            the dump's own speed: the ceiling
#   2. pg_dump | gzip -6 > file   the plan's procedure
#   3. pg_dump | pigz -p N > file (if pigz is installed) the usual multi-core fix
#   4. backup-service, default .sql.gz (POST /api/v1/backups, until SUCCEEDED)
#   5. backup-service, zstd
# and reports wall time, throughput (of the uncompressed dump), output size and peak memory of each,
# and the ratios. The service runs with -Xmx256m; its peak heap is sampled from /q/metrics (management port).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

users=500000
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users="$2"; shift 2 ;;
    *) echo "usage: bench/backup.sh [--users N]" >&2; exit 2 ;;
  esac
done

data=bench/.data
offset=1000
backup_port=$((8081 + offset))
backup_management_port=$((9081 + offset))
source bench/suite.sh
start_suite "$data" "$offset" "$users"
pg_port=$(sed -n 's/.*PostgreSQL 15 on 127.0.0.1:\([0-9]*\).*/\1/p' "$log" | head -1)
export PGPASSWORD=$(cat "$data/secrets/loopgpt-database.password")
token=$(cat "$data/tokens/operator.jwt")
service_pid=$(sed -n 's/.*Starting backup-service on port [0-9]* (pid \([0-9]*\).*/\1/p' "$log" | head -1)
dump=(pg_dump -h 127.0.0.1 -p "$pg_port" -U loopgpt_app -d loopgpt --no-owner --no-privileges)
cores=$(nproc)

results=()
# time_pipeline NAME OUTPUT_FILE PIPELINE: wall seconds, output bytes, peak RSS of the pipeline's processes (KB)
time_pipeline() {
  local name="$1" out="$2" pipeline="$3"
  sync
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/rss" bash -c "$pipeline" > "$work/stdout"
  end=$(date +%s.%N)
  local wall size
  wall=$(echo "$end - $start" | bc | sed 's/^\./0./')
  if [ -n "$out" ]; then size=$(stat -c %s "$out"); else size=$(cat "$work/stdout" | tr -d ' '); fi
  results+=("$name;$wall;$size;peak RSS $(( $(cat "$work/rss") / 1024 )) MB (largest process)")
  [ -n "$out" ] && rm -f "$out"
  echo "  $name: ${wall}s"
}

echo "Measuring on $cores cores ..."
time_pipeline "pg_dump | wc -c (ceiling)" "" "${dump[*]} | wc -c"
raw=$(echo "${results[0]}" | cut -d';' -f3)
time_pipeline "pg_dump | gzip -6 (the plan)" "$work/plan.sql.gz" "${dump[*]} | gzip -6 > $work/plan.sql.gz"
if command -v pigz >/dev/null; then
  time_pipeline "pg_dump | pigz -6 -p $cores" "$work/pigz.sql.gz" "${dump[*]} | pigz -6 -p $cores > $work/pigz.sql.gz"
fi

# service_backup NAME BODY: POST, poll until final while sampling heap, report the service's own timing.
service_backup() {
  local name="$1" body="$2"
  local id peak=0 phase
  id=$(curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body" \
       "localhost:$backup_port/api/v1/backups" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
  local start end
  start=$(date +%s.%N)
  while true; do
    heap=$(curl -sf "localhost:$backup_management_port/q/metrics" | awk '/^jvm_memory_used_bytes\{area="heap"/ {s += $NF} END {printf "%d", s}')
    [ "$heap" -gt "$peak" ] && peak=$heap
    phase=$(curl -sf -H "Authorization: Bearer $token" "localhost:$backup_port/api/v1/backups/$id" \
            | sed -n 's/.*"phase":"\([A-Z]*\)".*/\1/p')
    [ "$phase" = SUCCEEDED ] || [ "$phase" = FAILED ] && break
    sleep 0.2
  done
  end=$(date +%s.%N)
  local json
  json=$(curl -sf -H "Authorization: Bearer $token" "localhost:$backup_port/api/v1/backups/$id")
  [ "$phase" = SUCCEEDED ] || { echo "$name failed: $json" >&2; exit 1; }
  local millis size
  millis=$(echo "$json" | sed -n 's/.*"durationMillis":\([0-9]*\).*/\1/p')
  size=$(echo "$json" | sed -n 's/.*"sizeBytes":\([0-9]*\).*/\1/p')
  local wall
  wall=$(echo "scale=3; $millis / 1000" | bc | sed 's/^\./0./')
  local hwm
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$service_pid/status")
  results+=("$name;$wall;$size;heap peak $((peak / 1048576)) MB (-Xmx256m), JVM RSS peak $((hwm / 1024)) MB")
  echo "  $name: ${wall}s (client saw $(echo "$end - $start" | bc)s)"
}

service_backup "backup-service .sql.gz (default)" '{"target":"loopgpt","kind":"manual","reason":"bench"}'
service_backup "backup-service .sql.zst" '{"target":"loopgpt","kind":"manual","reason":"bench","compression":"zstd"}'

plan=$(echo "${results[1]}" | cut -d';' -f2)
ceiling=$(echo "${results[0]}" | cut -d';' -f2)
echo
echo "Dump size: $((raw / 1048576)) MiB uncompressed; $cores cores."
echo
printf '| %-34s | %8s | %9s | %10s | %8s | %10s | %s |\n' "method" "wall s" "MiB/s" "output MiB" "vs plan" "vs ceiling" "memory"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..36})" "----------" "-----------" "------------" "----------" "------------" "---"
for row in "${results[@]}"; do
  IFS=';' read -r name wall size mem <<< "$row"
  printf '| %-34s | %8.2f | %9.1f | %10.1f | %7.2fx | %9.2fx | %s |\n' "$name" "$wall" \
    "$(echo "$raw / 1048576 / $wall" | bc -l)" "$(echo "$size / 1048576" | bc -l)" \
    "$(echo "$plan / $wall" | bc -l)" "$(echo "$wall / $ceiling" | bc -l)" "$mem"
done
echo
echo "'vs plan' > 1 is faster than pg_dump | gzip -6; 'vs ceiling' is wall time over pg_dump | wc -c."
