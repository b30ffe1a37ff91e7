#!/usr/bin/env bash
# Benchmark: status-service's public page and summary.json against nginx serving the same bytes
# as static files, with wrk on loopback, in one run.
#
#   bench/status.sh [--seconds N] [--connections N]     (defaults: 10 s, 64 connections)
#
# Needs wrk and nginx (apt-get install wrk nginx-light). Starts the suite with ./run.sh on its own
# small data folder (bench/.data-status) and ports, copies / and /api/v2/summary.json into an
# nginx root, then loads each of the four URLs with wrk and reports requests/s, p99 latency and
# the ratios to nginx.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=10
connections=64
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    *) echo "usage: bench/status.sh [--seconds N] [--connections N]" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null && command -v nginx >/dev/null || { echo "install wrk and nginx first" >&2; exit 1; }

offset=2000
status="http://127.0.0.1:$((8084 + offset))"
source bench/suite.sh
on_exit '[ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")"'
start_suite bench/.data-status "$offset" 100

mkdir -p "$work/root/api/v2"
curl -sf "$status/" -o "$work/root/index.html"
curl -sf "$status/api/v2/summary.json" -o "$work/root/api/v2/summary.json"
nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  types { text/html html; application/json json; }
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/root;
    location = / { try_files /index.html =404; }
    add_header Cache-Control "public, max-age=10";
    etag on;
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work"
sleep 0.5

load() { # URL -> "requests/s p99-ms"
  local out rps p99
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "$1")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  case "$p99" in
    *us) p99=$(echo "${p99%us} / 1000" | bc -l) ;;
    *ms) p99=${p99%ms} ;;
    *s) p99=$(echo "${p99%s} * 1000" | bc -l) ;;
  esac
  echo "$rps $p99"
}

echo "Warming up ..."
wrk -t2 -c"$connections" -d3s "$status/api/v2/summary.json" > /dev/null
wrk -t2 -c"$connections" -d3s "$status/" > /dev/null

declare -A result
for target in "status-service /api/v2/summary.json|$status/api/v2/summary.json" \
              "nginx /api/v2/summary.json|http://127.0.0.1:$nginx_port/api/v2/summary.json" \
              "status-service / (HTML)|$status/" \
              "nginx / (HTML)|http://127.0.0.1:$nginx_port/"; do
  name="${target%%|*}"
  echo "  $name ..."
  result[$name]=$(load "${target#*|}")
done

echo
echo "$(nproc) cores, $connections connections, ${seconds} s each; summary.json $(stat -c %s "$work/root/api/v2/summary.json") B, page $(stat -c %s "$work/root/index.html") B."
echo
printf '| %-36s | %12s | %9s | %12s |\n' "target" "requests/s" "p99 ms" "vs nginx"
printf '|%s|%s|%s|%s|\n' "--------------------------------------" "--------------" "-----------" "--------------"
for pair in "/api/v2/summary.json" "/ (HTML)"; do
  read -r ours ours_p99 <<< "${result[status-service $pair]}"
  read -r theirs theirs_p99 <<< "${result[nginx $pair]}"
  printf '| %-36s | %12.0f | %9.2f | %11.2fx |\n' "status-service $pair" "$ours" "$ours_p99" "$(echo "$ours / $theirs" | bc -l)"
  printf '| %-36s | %12.0f | %9.2f | %11.2fx |\n' "nginx $pair" "$theirs" "$theirs_p99" 1
done
