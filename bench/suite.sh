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
