# Shared by the bench scripts (sourced, not run): a scratch folder and the suite started with
# ./run.sh on its own data folder and ports, both cleaned up on exit.
#
#   start_suite DATA_DIR PORT_OFFSET SAMPLE_USERS   sets: work, log, launcher
#   on_exit COMMAND                                 runs COMMAND at exit, before the suite stops

work=$(mktemp -d)
log="$work/launcher.log"
exit_hooks=()

on_exit() {
  exit_hooks+=("$1")
}

bench_cleanup() {
  for hook in "${exit_hooks[@]}"; do eval "$hook" || true; done
  if [ -n "${launcher:-}" ]; then
    kill "$launcher" 2>/dev/null && wait "$launcher" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap bench_cleanup EXIT

start_suite() {
  local data="$1" offset="$2" users="$3"
  echo "Starting the suite (data in $data; a sample database of $users users is generated on the first run) ..."
  ./run.sh --data-dir "$data" --postgres-port 0 --s3-port 0 --port-offset "$offset" --sample-users "$users" \
    --start-timeout 1800 > "$log" 2>&1 &
  launcher=$!
  until grep -q "Ctrl-C stops everything" "$log"; do
    if ! kill -0 "$launcher" 2>/dev/null; then cat "$log"; echo "the suite did not start" >&2; exit 1; fi
    sleep 1
  done
}

# settle PSQL_ARGS...: CHECKPOINT the server, flush the page cache's dirty pages, then wait (at most
# 60 s) until the disks write less than 2 MiB in a second, so that one run's writes do not land on
# the next one's time.
settle() {
  "$@" -d postgres -c CHECKPOINT > /dev/null
  sync
  local before after i
  for i in $(seq 60); do
    before=$(awk '{s += $10} END {print s}' /proc/diskstats)
    sleep 1
    after=$(awk '{s += $10} END {print s}' /proc/diskstats)
    [ $(( (after - before) * 512 )) -lt $((2 * 1048576)) ] && return 0
  done
}

# stats V1 V2 ...: "median min max" of the values (seconds)
stats() {
  printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.3f %.3f %.3f\n", m, v[1], v[NR] }'
}

# elapsed START: seconds since START (from date +%s.%N)
elapsed() {
  echo "$(date +%s.%N) - $1" | bc | sed 's/^\./0./'
}

# phase_medians FILE: FILE has one "phase millis" pair per line over several runs; prints
# "phase=median s" for each phase, in the order they first appear.
phase_medians() {
  awk '{ if (!($1 in n)) order[++k] = $1; v[$1, ++n[$1]] = $2 }
    END { for (i = 1; i <= k; i++) { p = order[i]; c = n[p]
      for (a = 1; a <= c; a++) s[a] = v[p, a]
      for (a = 1; a <= c; a++) for (b = a + 1; b <= c; b++) if (s[b] < s[a]) { t = s[a]; s[a] = s[b]; s[b] = t }
      m = (c % 2) ? s[(c + 1) / 2] : (s[c / 2] + s[c / 2 + 1]) / 2
      printf "%s%s %.2f s", (i > 1 ? ", " : ""), p, m / 1000 } print "" }' "$1"
}

# phases_of JSON: the record's "phases" as "name millis" lines
phases_of() {
  echo "$1" | sed -n 's/.*"phases":{\([^}]*\)}.*/\1/p' | tr ',' '\n' | sed 's/"\([^"]*\)":\([0-9]*\)/\1 \2/'
}
