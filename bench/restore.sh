#!/usr/bin/env bash
# Benchmark: recovery-service's restore against the plan's `gunzip -c file.sql.gz | psql`, in one run,
# on the same ~1 GB sample database as bench/backup.sh.
#
#   bench/restore.sh [--users N]      (default 500000 users: a pg_dump of about 1 GB)
#
# Starts the suite with ./run.sh on bench/.data, has backup-service take two backups of the sample
# (the default .sql.gz, and the parallel directory format with zstd), then times:
#   1. the plan: the .sql.gz downloaded beforehand, `gunzip -c file.sql.gz | psql` into a new database
#   2. recovery-service, default .sql.gz, new-database mode (streamed from S3, checksum, row counts)
#   3. recovery-service, directory format (pg_restore --jobs), new-database mode
# and reports wall times and ratios. Restored databases are dropped afterwards.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

users=500000
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users="$2"; shift 2 ;;
    *) echo "usage: bench/restore.sh [--users N]" >&2; exit 2 ;;
  esac
done

data=bench/.data
offset=1000
backup="localhost:$((8081 + offset))"
recovery="localhost:$((8082 + offset))"
source bench/suite.sh
start_suite "$data" "$offset" "$users"
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
    sleep 0.5
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

echo "Taking the backups to restore ..."
plain=$(take_backup '{"target":"loopgpt","kind":"manual","reason":"restore bench"}')
parallel=$(take_backup '{"target":"loopgpt","kind":"manual","reason":"restore bench","format":"directory","jobs":2,"compression":"zstd"}')

echo "The plan: download, then gunzip -c | psql ..."
url=$(curl -sf -H "Authorization: Bearer $admin" "$backup/api/v1/backups/$plain/download" | json url)
curl -sf -o "$work/db_backup.sql.gz" "$url"
"${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS bench_plan" -c "CREATE DATABASE bench_plan"
start=$(date +%s.%N)
gunzip -c "$work/db_backup.sql.gz" | "${psql[@]}" -d bench_plan > /dev/null 2> "$work/plan.err"
end=$(date +%s.%N)
plan=$(echo "$end - $start" | bc | sed 's/^\./0./')
"${psql[@]}" -d postgres -c "DROP DATABASE bench_plan"
echo "  ${plan}s"

service_restore() { # NAME BACKUP_ID -> seconds
  local id body millis db
  id=$(curl -sf -X POST -H "Authorization: Bearer $operator" -H 'Content-Type: application/json' \
       -d "{\"backupId\":\"$2\",\"destination\":\"loopgpt\"}" "$recovery/api/v1/restores" | json id)
  body=$(await "$recovery/api/v1/restores/$id")
  millis=$(echo "$body" | sed -n 's/.*"durationMillis":\([0-9]*\).*/\1/p')
  db=$(echo "$body" | json restoredDatabase)
  "${psql[@]}" -d postgres -c "DROP DATABASE \"$db\"" > /dev/null
  echo "scale=3; $millis / 1000" | bc | sed 's/^\./0./'
}

echo "recovery-service, .sql.gz ..."
ours=$(service_restore plain "$plain")
echo "  ${ours}s"
echo "recovery-service, directory format, pg_restore --jobs ..."
par=$(service_restore parallel "$parallel")
echo "  ${par}s"

echo
echo "Dump of $(( $(curl -sf -H "Authorization: Bearer $operator" "$backup/api/v1/backups/$plain" | sed -n 's/.*"sizeBytes":\([0-9]*\).*/\1/p') / 1048576 )) MiB (.sql.gz); $(nproc) cores."
echo
printf '| %-58s | %8s | %8s |\n' "restore" "wall s" "vs plan"
printf '|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..60})" "----------" "----------"
printf '| %-58s | %8.2f | %7.2fx |\n' "the plan: gunzip -c file.sql.gz | psql (file already local)" "$plan" 1
printf '| %-58s | %8.2f | %7.2fx |\n' "recovery-service, .sql.gz from S3 (checksum, row counts)" "$ours" "$(echo "$plan / $ours" | bc -l)"
printf '| %-58s | %8.2f | %7.2fx |\n' "recovery-service, directory+zstd from S3, pg_restore -j" "$par" "$(echo "$plan / $par" | bc -l)"
