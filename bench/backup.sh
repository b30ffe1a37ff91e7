#!/usr/bin/env bash
# Benchmark: backup-service against the plan's procedure, on the same sample database, in one run.
#
#   bench/backup.sh [--users N] [--runs N]   (default 500000 users: a pg_dump of about 1 GB; 3 runs)
#
# Starts the suite with ./run.sh on its own data folder (bench/.data, kept between runs so the
# database is generated once) and ports, then runs the methods interleaved (1 2 3 4 5, 1 2 3 4 5,
# ...), with a CHECKPOINT and a quiet disk before each:
#   1. pg_dump | wc -c            the dump's own speed: the ceiling
#   2. pg_dump | gzip -6 > file   the plan's procedure
#   3. pg_dump | pigz -6 -p N > file (if pigz is installed) the usual multi-core fix
#   4. backup-service, default .sql.gz (POST /api/v1/backups, until SUCCEEDED)
#   5. backup-service, zstd
# and reports each method's median wall time with min-max, the ratios of medians, output size,
# peak memory, and the service's phases. The service runs with -Xmx256m; its heap is sampled from
# /q/metrics (management port).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

users=500000
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "usage: bench/backup.sh [--users N] [--runs N]" >&2; exit 2 ;;
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
psql=(psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres)
cores=$(nproc)

names=("pg_dump | wc -c (ceiling)" "pg_dump | gzip -6 (the plan)")
command -v pigz >/dev/null && names+=("pg_dump | pigz -6 -p $cores")
names+=("backup-service .sql.gz (default)" "backup-service .sql.zst")
declare -A times sizes memory

# time_pipeline I PIPELINE OUTPUT_FILE: wall seconds, output bytes, peak RSS of the largest process
time_pipeline() {
  local i="$1" pipeline="$2" out="$3" start wall size
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/rss" bash -c "$pipeline" > "$work/stdout"
  wall=$(elapsed "$start")
  if [ -n "$out" ]; then size=$(stat -c %s "$out"); rm -f "$out"; else size=$(tr -d ' ' < "$work/stdout"); fi
  times[$i]+="$wall "; sizes[$i]=$size
  memory[$i]="peak RSS $(( $(cat "$work/rss") / 1024 )) MB (largest process)"
  echo "  ${names[$i]}: ${wall}s"
}

# service_backup I BODY: POST, poll until final while sampling heap; the service's own wall time.
service_backup() {
  local i="$1" body="$2" id peak=0 phase heap json millis
  id=$(curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body" \
       "localhost:$backup_port/api/v1/backups" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
  while true; do
    heap=$(curl -sf "localhost:$backup_management_port/q/metrics" | awk '/^jvm_memory_used_bytes\{area="heap"/ {s += $NF} END {printf "%d", s}')
    [ "$heap" -gt "$peak" ] && peak=$heap
    phase=$(curl -sf -H "Authorization: Bearer $token" "localhost:$backup_port/api/v1/backups/$id" \
            | sed -n 's/.*"phase":"\([A-Z]*\)".*/\1/p')
    [ "$phase" = SUCCEEDED ] || [ "$phase" = FAILED ] && break
    sleep 1 # light polling: every answer (and metrics scrape) costs the two cores being measured
  done
  json=$(curl -sf -H "Authorization: Bearer $token" "localhost:$backup_port/api/v1/backups/$id")
  [ "$phase" = SUCCEEDED ] || { echo "${names[$i]} failed: $json" >&2; exit 1; }
  millis=$(echo "$json" | sed -n 's/.*"durationMillis":\([0-9]*\).*/\1/p')
  times[$i]+="$(echo "scale=3; $millis / 1000" | bc | sed 's/^\./0./') "
  sizes[$i]=$(echo "$json" | sed -n 's/.*"sizeBytes":\([0-9]*\).*/\1/p')
  phases_of "$json" >> "$work/phases.$i"
  local previous=${peaks[$i]:-0}
  [ $((peak / 1048576)) -gt "$previous" ] && peaks[$i]=$((peak / 1048576))
  memory[$i]="heap peak ${peaks[$i]} MB (-Xmx256m), JVM RSS peak $(( $(awk '/VmHWM/ {print $2}' "/proc/$service_pid/status") / 1024 )) MB"
  echo "  ${names[$i]}: $(echo "${times[$i]}" | awk '{print $NF}')s"
}
declare -A peaks

for run in $(seq "$runs"); do
  echo "Run $run of $runs ($cores cores)"
  i=0
  settle "${psql[@]}"; time_pipeline $i "${dump[*]} | wc -c" ""; i=$((i + 1))
  settle "${psql[@]}"; time_pipeline $i "${dump[*]} | gzip -6 > $work/plan.sql.gz" "$work/plan.sql.gz"; i=$((i + 1))
  if command -v pigz >/dev/null; then
    settle "${psql[@]}"; time_pipeline $i "${dump[*]} | pigz -6 -p $cores > $work/pigz.sql.gz" "$work/pigz.sql.gz"; i=$((i + 1))
  fi
  settle "${psql[@]}"; service_backup $i '{"target":"loopgpt","kind":"manual","reason":"bench"}'; i=$((i + 1))
  settle "${psql[@]}"; service_backup $i '{"target":"loopgpt","kind":"manual","reason":"bench","compression":"zstd"}'
done

raw=${sizes[0]}
read -r ceiling _ _ <<< "$(stats ${times[0]})"
read -r plan _ _ <<< "$(stats ${times[1]})"
echo
echo "Dump size: $((raw / 1048576)) MiB uncompressed; $cores cores; medians of $runs interleaved runs."
echo
printf '| %-34s | %8s | %15s | %9s | %10s | %8s | %10s | %s |\n' "method" "median s" "min-max s" "MiB/s" "output MiB" "vs plan" "vs ceiling" "memory"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..36})" "---------:" "----------------:" "----------:" "-----------:" "---------:" "-----------:" "---"
for i in "${!names[@]}"; do
  read -r median low high <<< "$(stats ${times[$i]})"
  printf '| %-34s | %8.2f | %7.2f-%-7.2f | %9.1f | %10.1f | %7.2fx | %9.2fx | %s |\n' "${names[$i]}" "$median" "$low" "$high" \
    "$(echo "$raw / 1048576 / $median" | bc -l)" "$(echo "${sizes[$i]} / 1048576" | bc -l)" \
    "$(echo "$plan / $median" | bc -l)" "$(echo "$median / $ceiling" | bc -l)" "${memory[$i]}"
done
echo
echo "'vs plan' > 1 is faster than pg_dump | gzip -6; 'vs ceiling' is wall time over pg_dump | wc -c."
for i in "${!names[@]}"; do
  [ -f "$work/phases.$i" ] && echo "Phases of ${names[$i]} (medians): $(phase_medians "$work/phases.$i")"
done
true
