#!/usr/bin/env bash
# The cost of watching: server CPU per login during a login storm with no console tab open, then with TABS (default
# 10) operators' tabs on the sessions page (signed in, live, in Debian's Chromium), in ABBA order. 127.0.0.1 only.
#   bash bench/watchers.sh       FILL (default 20s) grows the store first; DURATION (15s), ROUNDS (1), TABS (10) tune it.
set -euo pipefail
cd "$(dirname "$0")/.."
FILL=${FILL:-20s}
DURATION=${DURATION:-15s}
ROUNDS=${ROUNDS:-1}
TABS=${TABS:-10}
PAGE=${PAGE:-/admin/sessions}
PORT=5321
source bench/lib.sh
need wrk
need chromium


dotnet publish -c Release SessionAdmin.Web -o "$work/app" -v q -nologo >/dev/null
dotnet build -c Release bench/Watchers -o "$work/watchers" -v q -nologo >/dev/null

env ASPNETCORE_ENVIRONMENT=Production "ConnectionStrings__Sessions=Data Source=$work/sessions.db" Serilog__MinimumLevel__Default=Warning \
  Admin__BootstrapPassword=bench-watchers "Admin__OperatorsFile=$work/operators.json" ASPNETCORE_URLS="http://127.0.0.1:$PORT" \
  dotnet "$work/app/SessionAdmin.Web.dll" --contentRoot "$work/app" >"$work/app.log" 2>&1 &
app=$!
pids+=("$app")
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/secret" && break; sleep 0.2; done

echo "filling the store: $FILL of logins…"
wrk -t2 -c64 -d"$FILL" "http://127.0.0.1:$PORT/login" | awk '/requests in/ {print "  " $1 " sessions"}'

ticks() { awk '{print $14 + $15}' "/proc/$app/stat"; }
hz=$(getconf CLK_TCK)
# Prints "<logins/s> <µs of server CPU per login>" for one storm.
storm() {
  local t0 t1 out requests
  t0=$(ticks)
  out=$(wrk -t2 -c64 -d"$DURATION" "http://127.0.0.1:$PORT/login")
  t1=$(ticks)
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  awk -v r="$requests" -v d="${DURATION%s}" -v c="$((t1 - t0))" -v hz="$hz" 'BEGIN {printf "%.0f %.1f\n", r / d, c / hz * 1e6 / r}'
}

declare -a none with
watchers=""
open_tabs() {
  dotnet "$work/watchers/Watchers.dll" "http://127.0.0.1:$PORT" admin bench-watchers "$TABS" 3600 "$PAGE" >"$work/watchers.log" 2>&1 &
  watchers=$!
  for _ in $(seq 1 600); do grep -q '^ready' "$work/watchers.log" && break; sleep 0.2; done
  grep -q '^ready' "$work/watchers.log" || { echo "the tabs did not open:"; cat "$work/watchers.log"; exit 1; }
  sleep 5   # the circuits settle after their first render
  wrk -t2 -c64 -d3s "http://127.0.0.1:$PORT/login" >/dev/null   # and the tabs' live refresh runs once before it is measured
}
close_tabs() { kill "$watchers"; wait "$watchers" 2>/dev/null || true; sleep 5; }
# ABBA: the store grows with every storm, so each round measures none, tabs, tabs, none and the drift cancels out.
for round in $(seq 1 "$ROUNDS"); do
  for step in none tabs tabs none; do
    if [ "$step" = tabs ] && [ -z "$watchers" ]; then open_tabs; fi
    if [ "$step" = none ] && [ -n "$watchers" ]; then close_tabs; watchers=""; fi
    read -r rate cost < <(storm)
    if [ "$step" = none ]; then none+=("$cost"); label="no tab"; else with+=("$cost"); label="$TABS tabs"; fi
    echo "round $round, $label: $rate logins/s, $cost µs CPU per login"
  done
done

mean() { printf '%s\n' "$@" | awk '{s += $1} END {printf "%.1f", s / NR}'; }
a=$(mean "${none[@]}"); b=$(mean "${with[@]}")
echo
echo "| server CPU per login | no console tab | $TABS tabs on /admin/sessions | extra |"
echo "|---|---:|---:|---:|"
echo "| µs (mean of $((ROUNDS * 2)) storms of $DURATION each) | $a | $b | $(awk -v a="$a" -v b="$b" 'BEGIN {printf "%+.1f %%", (b / a - 1) * 100}') |"
echo "wrk -t2 -c64 on /login; $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
