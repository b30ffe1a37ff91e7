#!/usr/bin/env bash
# Benchmark: continuous archiving of the sample database (a streamed target) under a steady write
# load, in one run, at several rates.
#
#   bench/stream.sh [--rates 50,200,1000] [--seconds 300] [--users N]   (defaults as shown; 10000 users)
#
# Starts the suite with ./run.sh (which streams its sample database) on bench/.data-stream, then for
# each rate: a base backup (a new chain, so that each rate's segments are its own), then pgbench
# running a mix of writes at that rate (-R) for --seconds: per transaction one of an order with its
# item and event (3 inserts over 3 tables), a user's plan changed (update), an order's status changed
# (update), an old event deleted; then it reports:
#   RPO        for every transaction: the time its change segment was durable in the bucket (the
#              manifest's createdAt) minus its commit time (the segment's own header): p50, p99, max;
#   CPU        of the primary: its walsender (logical decoding for the slot: what streaming adds) and
#              all of its processes (the load's own backends included), in % of one core over the load;
#              backup-service's CPU beside;
#   apply      a restore to a time just after the load by recovery-service (its replay phase) against
#              the by-hand replay of the same segments with `gunzip -c | psql` onto the same base, in
#              row changes per second.
# Every rate runs on the same two cores as the suite and pgbench: the figures compare within the run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

rates=50,200,1000
seconds=300
users=10000
while [ $# -gt 0 ]; do
  case "$1" in
    --rates) rates="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --users) users="$2"; shift 2 ;;
    *) echo "usage: bench/stream.sh [--rates 50,200,1000] [--seconds 300] [--users N]" >&2; exit 2 ;;
  esac
done

data=bench/.data-stream
offset=1100
backup="localhost:$((8081 + offset))"
recovery="localhost:$((8082 + offset))"
source bench/suite.sh
start_suite "$data" "$offset" "$users"
pg_port=$(sed -n 's/.*PostgreSQL 15 on 127.0.0.1:\([0-9]*\).*/\1/p' "$log" | head -1)
service_pid=$(sed -n 's/.*Starting backup-service on port [0-9]* (pid \([0-9]*\).*/\1/p' "$log" | head -1)
operator=$(cat "$data/tokens/operator.jwt")
psql=(psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres)
bucket_dir="$data/s3/loopgpt-dr-backups"

json() { sed -n "s/.*\"$1\":\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p"; }

await() { # URL -> final JSON
  local url="$1" body phase
  while true; do
    body=$(curl -sf -H "Authorization: Bearer $operator" "$url")
    phase=$(echo "$body" | json phase)
    [ "$phase" = SUCCEEDED ] || [ "$phase" = FAILED ] && break
    sleep 2
  done
  [ "$phase" = SUCCEEDED ] || { echo "failed: $body" >&2; exit 1; }
  echo "$body"
}

# cpu_ticks PID...: user+system clock ticks of the processes (those still alive)
cpu_ticks() {
  local total=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}
postmaster=$(head -1 "$data/postgres/postmaster.pid")
# The server's CPU: its processes alive now, and those that ended (the load's backends), which the
# postmaster reaped (its children's times, fields 16 and 17).
server_ticks() {
  echo $(( $(cpu_ticks $(pgrep -P "$postmaster")) + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$postmaster/stat") ))
}
hz=$(getconf CLK_TCK)

# The workload: four kinds of transaction, weighted, at the rate asked for.
cat > "$work/order.sql" <<'SQL'
\set uid random(1, :users)
\set food random(1, 100)
BEGIN;
INSERT INTO orders (user_id, provider, status, total_cents, delivery_addr, created_at) VALUES (:uid, 'shipt', 'placed', 1000 + :food, 'Bench Street 1', now());
INSERT INTO order_items (order_id, food_item_id, quantity, unit_price_cents) VALUES (currval('orders_id_seq'), :food, 2, 250);
INSERT INTO provider_events (provider, order_id, event_type, payload, received_at) VALUES ('shipt', currval('orders_id_seq'), 'order.accepted', '{"bench": true}', now());
COMMIT;
SQL
cat > "$work/plan.sql" <<'SQL'
\set uid random(1, :users)
UPDATE users SET plan = CASE plan WHEN 'free' THEN 'plus' WHEN 'plus' THEN 'pro' ELSE 'free' END WHERE id = :uid;
SQL
cat > "$work/status.sql" <<'SQL'
\set uid random(1, :users)
UPDATE orders SET status = 'delivered' WHERE id = (SELECT max(id) FROM orders WHERE user_id = :uid);
SQL
cat > "$work/event.sql" <<'SQL'
DELETE FROM provider_events WHERE id = (SELECT min(id) FROM provider_events);
SQL

results=()
for rate in ${rates//,/ }; do
  echo "Rate $rate transactions/s for $seconds s"
  base=$(curl -sf -X POST -H "Authorization: Bearer $operator" -H 'Content-Type: application/json' \
         -d '{"target":"loopgpt","kind":"manual","reason":"stream bench: a new chain"}' "$backup/api/v1/backups" | json id)
  await "$backup/api/v1/backups/$base" > /dev/null
  walsender=""
  for i in $(seq 60); do # the chain's streamer starts within backup.stream.check-every
    walsender=$("${psql[@]}" -d postgres -At -c "SELECT active_pid FROM pg_replication_slots WHERE slot_name = 'dr_loopgpt_${base:0:8}' AND active")
    [ -n "$walsender" ] && break
    sleep 1
  done
  [ -n "$walsender" ] || { echo "no active slot for base $base" >&2; exit 1; }
  wal0=$(cpu_ticks "$walsender"); srv0=$(server_ticks); svc0=$(cpu_ticks "$service_pid"); t0=$(date +%s.%N)
  pgbench -n -h 127.0.0.1 -p "$pg_port" -U postgres -R "$rate" -T "$seconds" -c 4 -j 2 -D users="$users" \
    -f "$work/order.sql@4" -f "$work/plan.sql@2" -f "$work/status.sql@2" -f "$work/event.sql@2" loopgpt \
    > "$work/pgbench.$rate" 2>&1
  [ -r "/proc/$walsender/stat" ] || { echo "the walsender $walsender ended during the load (the stream reconnected)" >&2; exit 1; }
  wal1=$(cpu_ticks "$walsender"); srv1=$(server_ticks); svc1=$(cpu_ticks "$service_pid"); wall=$(elapsed "$t0")
  done_at=$("${psql[@]}" -d postgres -At -c "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
  achieved=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$work/pgbench.$rate" | head -1)
  # Until the stream holds everything up to the end of the load.
  for i in $(seq 120); do
    curl -sf -o /dev/null -H "Authorization: Bearer $operator" "$backup/api/v1/targets/loopgpt/stream/plan?toTime=$done_at" \
      && break
    [ "$i" -lt 120 ] || { echo "the stream did not reach $done_at within 2 minutes" >&2; exit 1; }
    sleep 1
  done
  chain="$bucket_dir/backups/loopgpt/stream/$base"
  rpo=$(python3 bench/stream_rpo.py "$chain")

  # Apply: recovery-service's restore to the end of the load (its replay phase) ...
  restore=$(curl -sf -X POST -H "Authorization: Bearer $operator" -H 'Content-Type: application/json' \
            -d "{\"target\":\"loopgpt\",\"toTime\":\"$done_at\",\"destination\":\"loopgpt\"}" "$recovery/api/v1/restores" | json id)
  body=$(await "$recovery/api/v1/restores/$restore")
  replay_ms=$(echo "$body" | sed -n 's/.*"replay":\([0-9]*\).*/\1/p')
  restored=$(echo "$body" | json restoredDatabase)
  # ... against psql replaying the same segments by hand, onto the same base.
  "${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS bench_by_hand" -c "CREATE DATABASE bench_by_hand" > /dev/null
  base_key=$(curl -sf -H "Authorization: Bearer $operator" "$backup/api/v1/backups/$base" | json objectKey)
  gunzip -c "$bucket_dir/$base_key" | "${psql[@]}" -d bench_by_hand > /dev/null 2>&1
  rows=$(cat "$chain"/*.json | sed -n 's/^  "rows" : \([0-9]*\).*/\1/p' | awk '{s += $1} END {print s}')
  settle "${psql[@]}"
  start=$(date +%s.%N)
  for segment in $(ls "$chain"/changes_*.sql.gz | sort); do
    gunzip -c "$segment" | "${psql[@]}" -v ON_ERROR_STOP=1 -d bench_by_hand > /dev/null
  done
  by_hand=$(elapsed "$start")
  for table in users orders order_items provider_events; do
    a=$("${psql[@]}" -d "$restored" -At -c "SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM $table t")
    b=$("${psql[@]}" -d bench_by_hand -At -c "SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM $table t")
    [ "$a" = "$b" ] || { echo "the service's restore and the by-hand replay differ in $table" >&2; exit 1; }
  done
  "${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS bench_by_hand" -c "DROP DATABASE IF EXISTS \"$restored\"" > /dev/null

  service_rate=$(echo "$rows * 1000 / $replay_ms" | bc)
  psql_rate=$(echo "$rows / $by_hand" | bc)
  walsender_cpu=$(echo "scale=1; 100 * ($wal1 - $wal0) / $hz / $wall" | bc)
  server_cpu=$(echo "scale=1; 100 * ($srv1 - $srv0) / $hz / $wall" | bc)
  service_cpu=$(echo "scale=1; 100 * ($svc1 - $svc0) / $hz / $wall" | bc)
  results+=("$(printf '| %6s | %8.1f | %s | %5s%% | %5s%% | %5s%% | %8s | %8s | %9s | %5.2fx |' "$rate" "$achieved" "$rpo" \
    "$walsender_cpu" "$server_cpu" "$service_cpu" "$rows" "$service_rate" "$psql_rate" \
    "$(echo "$service_rate / $psql_rate" | bc -l)")")
  echo "  ${results[-1]}"
done

echo
echo "$(nproc) cores; $seconds s of load per rate; the sample database of $users users; segments every 10 s."
echo
echo "| rate/s | achieved | RPO p50 s | RPO p99 s | RPO max s | walsender CPU (what streaming adds) | primary CPU (all, the load included) | backup-service CPU | row changes | apply rows/s (service) | apply rows/s (psql) | service/psql |"
echo "|-------:|---------:|----------:|----------:|----------:|-----:|-----:|-----:|---------:|---------:|----------:|------:|"
printf '%s\n' "${results[@]}"
