#!/usr/bin/env bash
# Benchmark: how long notification-service takes to get one status update to 10,000 confirmed
# subscribers, from the POST to the last mail arriving at a local SMTP server, against a plain
# SMTP client (Python's smtplib, one connection) sending as many mails of the same size to the
# same server, in one run.
#
#   bench/notify.sh [--count N]     (default 10000)
#
# Needs psql (postgresql-client-15) and aiosmtpd (apt-get install python3-aiosmtpd). Starts the
# suite with ./run.sh on a scratch data folder, its notification-service pointed at the local SMTP
# server; adds N confirmed subscribers with SQL; runs the baseline, then one POST
# /api/v1/notifications to the status-subscribers audience.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

count=10000
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    *) echo "usage: bench/notify.sh [--count N]" >&2; exit 2 ;;
  esac
done
py=/usr/bin/python3
$py -c 'import aiosmtpd' 2>/dev/null || { echo "install python3-aiosmtpd first" >&2; exit 1; }
command -v psql >/dev/null || { echo "install postgresql-client-15 first" >&2; exit 1; }

offset=3000
notify="http://127.0.0.1:$((8083 + offset))"
source bench/suite.sh
data="$work/data"

free_port() { $py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
sink_port=$(free_port)
$py bench/smtp_sink.py "$sink_port" "$work/sink.count" > "$work/sink.log" 2>&1 &
sink=$!
on_exit "kill $sink"
export QUARKUS_MAILER_HOST=127.0.0.1 QUARKUS_MAILER_PORT="$sink_port" QUARKUS_MAILER_START_TLS=DISABLED
start_suite "$data" "$offset" 100

pg_port=$(grep -o 'PostgreSQL 15 on 127.0.0.1:[0-9]*' "$log" | tail -1 | cut -d: -f2)
export PGPASSWORD; PGPASSWORD=$(cat "$data/secrets/dr-database.password")
psql -q -h 127.0.0.1 -p "$pg_port" -U dr -d dr -v ON_ERROR_STOP=1 -c "
  INSERT INTO notification.subscriber (id, email, components, state, unsubscribe_token, created_at, confirmed_at)
  SELECT gen_random_uuid(), 'bench-' || n || '@example.com', '', 'CONFIRMED', md5(random()::text) || md5(random()::text),
         now(), now()
  FROM generate_series(1, $count) AS n;"
echo "$count confirmed subscribers added"

token=$(cat "$data/tokens/operator.jwt")
variables='{"incident":"Orders failing","status":"identified","body":"We found the cause and are rolling back.","affectedServices":"Orders","link":"https://status.loopgpt.ai/incidents/bench"}'
preview=$(curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"variables\":$variables}" "$notify/api/v1/templates/status-update/preview")
subject=$(echo "$preview" | $py -c 'import json,sys; print(json.load(sys.stdin)["subject"])')
echo "$preview" | $py -c 'import json,sys; print(json.load(sys.stdin)["text"])' > "$work/mail.txt"
echo "$preview" | $py -c 'import json,sys; print(json.load(sys.stdin)["html"])' > "$work/mail.html"

sink_count() { cut -d' ' -f1 "$work/sink.count"; }
echo "Baseline: smtplib sends $count mails over one connection ..."
before=$(sink_count)
baseline=$($py bench/smtp_client.py 127.0.0.1 "$sink_port" "$count" "$subject" "$work/mail.txt" "$work/mail.html")
[ "$(( $(sink_count) - before ))" -eq "$count" ] || { echo "the baseline did not deliver $count mails" >&2; exit 1; }

echo "notification-service: one POST to $count subscribers ..."
before=$(sink_count)
start=$(date +%s.%N)
curl -sf -o "$work/accepted.json" -w '%{http_code}\n' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"template\":\"status-update\",\"channels\":[\"email\"],\"audience\":\"status-subscribers\",\"idempotencyKey\":\"bench-$(date +%s%N)\",\"variables\":$variables}" \
  "$notify/api/v1/notifications" | grep -q 202
accepted=$(date +%s.%N)
until [ "$(( $(sink_count) - before ))" -ge "$count" ]; do
  sleep 0.1
  if [ "$($py -c "print(int($(date +%s) - ${start%.*} > 900))")" = 1 ]; then echo "not all mails arrived within 15 min" >&2; exit 1; fi
done
done_at=$(date +%s.%N)
sleep 3
extra=$(( $(sink_count) - before - count ))

$py - "$count" "$baseline" "$start" "$accepted" "$done_at" "$extra" <<'PY'
import sys
count, baseline, start, accepted, done, extra = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
service = done - start
print()
print(f"| {count:,} mails to a local SMTP server | seconds | mails/s |")
print("|---|---:|---:|")
print(f"| plain smtplib client, one connection (baseline) | {baseline:.1f} | {count / baseline:,.0f} |")
print(f"| notification-service, POST to last mail | {service:.1f} | {count / service:,.0f} |")
print(f"| of which accepting (outbox rows written) | {accepted - start:.1f} | |")
print()
print(f"notification-service / baseline rate: {baseline / service:.2f}x; duplicates: {extra}")
PY
