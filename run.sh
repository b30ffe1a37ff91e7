#!/usr/bin/env bash
# Runs the whole LoopGPT DR suite locally: builds what is missing or out of date, then starts an
# embedded PostgreSQL 15 and S3 server (data in .data/), the sample LoopGPT database and the four
# services, and prints their URLs and an operator token. Ctrl-C stops everything.
# Options: ./run.sh --help
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

launcher=dr-launcher/target/dr-launcher.jar
stale=no
for svc in backup-service recovery-service notification-service status-service dr-cli; do
  [ -f "$svc/target/quarkus-app/quarkus-run.jar" ] || stale=yes
done
[ -f "$launcher" ] || stale=yes
if [ "$stale" = no ] && [ -n "$(find . -path ./.data -prune -o \( -path '*/src/main/*' -o -name pom.xml \) -newer "$launcher" -print -quit)" ]; then
  stale=yes
fi
if [ "$stale" = yes ]; then
  echo "[run.sh] building the suite (./mvnw package -DskipTests) ..."
  ./mvnw -B -q package -DskipTests
  touch "$launcher"
fi
exec java -jar "$launcher" "$@"
