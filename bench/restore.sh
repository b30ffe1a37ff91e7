#!/usr/bin/env bash
# Benchmark: recovery-service's restores against the plan's `gunzip -c file.sql.gz | psql`, in one
# run, on the same ~1 GB sample database as bench/backup.sh.
#
#   bench/restore.sh [--users N] [--runs N]   (default 500000 users: a pg_dump of about 1 GB; 3 runs)
#
# Starts the suite with ./run.sh on bench/.data, has backup-service take two backups of the sample
# (the default .sql.gz, and the parallel directory format with zstd), downloads both, then runs the
# methods interleaved (A B C D, A B C D, ...), with a CHECKPOINT and a quiet disk before each:
#   A. the plan: `gunzip -c file.sql.gz | psql` into a new database (file already local)
#   B. recovery-service, default .sql.gz, new-database mode (streamed from S3, checksum, row counts)
#   C. recovery-service, directory format + zstd (streamed into J sessions), new-database mode
#   D. `pg_restore --jobs J` alone from the local directory dump: the ceiling of the parallel format
# where J is the service's default (recovery.restore-jobs: one per core, at least 2).
# and reports each method's median with min-max, the ratios of medians, and the service's phases.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

users=500000
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "usage: bench/restore.sh [--users N] [--runs N]" >&2; exit 2 ;;
  esac
done

data=bench/.data
offset=1000
backup="localhost:$((8081 + offset))"
recovery="localhost:$((8082 + offset))"
source bench/suite.sh
start_suite "$data" "$offset" "$users"
jobs=$(nproc); [ "$jobs" -ge 2 ] || jobs=2
pg_port=$(sed -n 's/.*PostgreSQL 15 on 127.0.0.1:\([0-9]*\).*/\1/p' "$log" | head -1)
operator=$(cat "$data/tokens/operator.jwt")
admin=$(cat "$data/tokens/admin.jwt")
psql=(psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres)

json() { sed -n "s/.*\"$1\":\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p"; }

await() { # URL -> final JSON
  local url="$1" body phase
  while true; do
    body=$(curl -sf -H "Authorization: Bearer $operator" "$url")
    phase=$(echo "$body" | json phase)
    [ "$phase" = SUCCEEDED ] || [ "$phase" = FAILED ] && break
    sleep 2 # light polling: every answer costs the two cores the service is measured on
  done
  [ "$phase" = SUCCEEDED ] || { echo "failed: $body" >&2; exit 1; }
  echo "$body"
}

take_backup() { # BODY -> id
  local id
  id=$(curl -sf -X POST -H "Authorization: Bearer $operator" -H 'Content-Type: application/json' -d "$1" \
       "$backup/api/v1/backups" | json id)
  await "$backup/api/v1/backups/$id" > /dev/null
  echo "$id"
}

download() { # ID FILE
  curl -sf -o "$2" "$(curl -sf -H "Authorization: Bearer $admin" "$backup/api/v1/backups/$1/download" | json url)"
}

echo "Taking the backups to restore ..."
plain=$(take_backup '{"target":"loopgpt","kind":"manual","reason":"restore bench"}')
parallel=$(take_backup '{"target":"loopgpt","kind":"manual","reason":"restore bench","format":"directory","jobs":2,"compression":"zstd"}')
download "$plain" "$work/db_backup.sql.gz"
download "$parallel" "$work/db_backup.tar.zst"
mkdir -p "$work/dir" && zstd -dc "$work/db_backup.tar.zst" | tar -x -C "$work/dir"
rm -f "$work/db_backup.tar.zst"

fresh() { PGOPTIONS="-c client_min_messages=warning" "${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" > /dev/null; }
drop() { "${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS \"$1\"" > /dev/null; }

plan_restore() {
  fresh bench_plan
  local start
  start=$(date +%s.%N)
  gunzip -c "$work/db_backup.sql.gz" | "${psql[@]}" -d bench_plan > /dev/null 2> "$work/plan.err"
  elapsed "$start"
  drop bench_plan
}

pg_restore_alone() {
  fresh bench_pgr
  local start
  start=$(date +%s.%N)
  pg_restore --no-owner --no-privileges --exit-on-error --jobs "$jobs" -h 127.0.0.1 -p "$pg_port" -U postgres \
    -d bench_pgr --format directory "$work/dir/dump"
  elapsed "$start"
  drop bench_pgr
}

service_restore() { # BACKUP_ID PHASES_FILE -> seconds (the service's own startedAt..finishedAt)
  local id body millis
  id=$(curl -sf -X POST -H "Authorization: Bearer $operator" -H 'Content-Type: application/json' \
       -d "{\"backupId\":\"$1\",\"destination\":\"loopgpt\"}" "$recovery/api/v1/restores" | json id)
  body=$(await "$recovery/api/v1/restores/$id")
  millis=$(echo "$body" | sed -n 's/.*"durationMillis":\([0-9]*\).*/\1/p')
  phases_of "$body" >> "$2"
  drop "$(echo "$body" | json restoredDatabase)"
  echo "scale=3; $millis / 1000" | bc | sed 's/^\./0./'
}

A=() B=() C=() D=()
for run in $(seq "$runs"); do
  echo "Run $run of $runs"
  settle "${psql[@]}"; A+=("$(plan_restore)"); echo "  A the plan:                  ${A[-1]}s"
  settle "${psql[@]}"; B+=("$(service_restore "$plain" "$work/phases.plain")"); echo "  B service .sql.gz:           ${B[-1]}s"
  settle "${psql[@]}"; C+=("$(service_restore "$parallel" "$work/phases.parallel")"); echo "  C service directory+zstd:    ${C[-1]}s"
  settle "${psql[@]}"; D+=("$(pg_restore_alone)"); echo "  D pg_restore --jobs $jobs alone: ${D[-1]}s"
done

read -r a a_min a_max <<< "$(stats "${A[@]}")"
read -r b b_min b_max <<< "$(stats "${B[@]}")"
read -r c c_min c_max <<< "$(stats "${C[@]}")"
read -r d d_min d_max <<< "$(stats "${D[@]}")"
echo
echo "Dump of $(( $(curl -sf -H "Authorization: Bearer $operator" "$backup/api/v1/backups/$plain" | sed -n 's/.*"sizeBytes":\([0-9]*\).*/\1/p') / 1048576 )) MiB (.sql.gz); $(nproc) cores; medians of $runs interleaved runs."
echo
printf '| %-62s | %8s | %15s | %8s |\n' "restore" "median s" "min-max s" "vs plan"
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..64})" "---------:" "----------------:" "---------:"
row() { printf '| %-62s | %8.2f | %7.2f-%-7.2f | %7.2fx |\n' "$1" "$2" "$3" "$4" "$(echo "$a / $2" | bc -l)"; }
row "A. the plan: gunzip -c file.sql.gz | psql (file already local)" "$a" "$a_min" "$a_max"
row "B. recovery-service, .sql.gz from S3, $jobs sessions" "$b" "$b_min" "$b_max"
row "C. recovery-service, directory+zstd streamed, $jobs sessions" "$c" "$c_min" "$c_max"
row "D. pg_restore -j $jobs alone, local directory dump (the ceiling)" "$d" "$d_min" "$d_max"
echo
printf 'C / D (the parallel format against its ceiling): %.2f\n' "$(echo "$c / $d" | bc -l)"
echo "Phases of B (medians): $(phase_medians "$work/phases.plain")"
echo "Phases of C (medians): $(phase_medians "$work/phases.parallel")"
