#!/usr/bin/env bash
# HTTP benchmark: SessionAdmin.Web against ASP.NET Core's own session middleware (in-memory cache, and a durable
# SQLite cache), the same routes, taking turns, on 127.0.0.1 only. wrk: 2 threads, 64 connections.
# Prints requests/second and the ratios ours/peer. DURATION (default 10s) and ROUNDS (default 3) tune the run.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
source bench/lib.sh
need wrk


publish_apps

start ours 5301 env ASPNETCORE_ENVIRONMENT=Production "ConnectionStrings__Sessions=Data Source=$work/ours.db" \
  Serilog__MinimumLevel__Default=Warning Admin__BootstrapPassword=bench-only "Admin__OperatorsFile=$work/operators.json" \
  dotnet "$work/ours-app/SessionAdmin.Web.dll" --contentRoot "$work/ours-app"
start memory 5302 dotnet "$work/peer-app/PeerApp.dll" memory
start sqlite 5303 dotnet "$work/peer-app/PeerApp.dll" sqlite "$work/peer-cache.db"

declare -A port=([ours]=5301 [memory]=5302 [sqlite]=5303)
declare -A sid
for t in ours memory sqlite; do sid[$t]=$(cookie "${port[$t]}"); done

rps() { wrk -t2 -c64 -d"$DURATION" "$@" | awk '/Requests\/sec/ {print $2}'; }
declare -A best
keep() { local k=$1 v=$2; if [ -z "${best[$k]:-}" ] || awk "BEGIN{exit !($v > ${best[$k]})}"; then best[$k]=$v; fi; }

for round in $(seq 1 "$ROUNDS"); do
  for t in ours memory sqlite; do
    keep "$t/secret" "$(rps -H "Cookie: mysessionid=${sid[$t]}" "http://127.0.0.1:${port[$t]}/secret")"
    keep "$t/login" "$(rps "http://127.0.0.1:${port[$t]}/login")"
  done
  keep "bare" "$(rps "http://127.0.0.1:5302/bare")"
  echo "round $round of $ROUNDS done" >&2
done

# Each app answered as it should (a benchmark of 403s or 500s would measure nothing).
for t in ours memory sqlite; do
  body=$(curl -s -H "Cookie: mysessionid=${sid[$t]}" "http://127.0.0.1:${port[$t]}/secret")
  [ "$body" = "The cake is a lie!" ] || { echo "$t /secret answered: $body" >&2; exit 1; }
done

ratio() { awk "BEGIN{printf \"%.2f\", $1 / $2}"; }
echo
echo "| route | ours (req/s) | ASP.NET Core session, memory | ASP.NET Core session, SQLite | ours / memory | ours / SQLite |"
echo "|---|---:|---:|---:|---:|---:|"
for r in secret login; do
  echo "| /$r | ${best[ours/$r]} | ${best[memory/$r]} | ${best[sqlite/$r]} | $(ratio "${best[ours/$r]}" "${best[memory/$r]}") | $(ratio "${best[ours/$r]}" "${best[sqlite/$r]}") |"
done
echo "| bare endpoint (framework ceiling) | | ${best[bare]} | | | |"
echo
echo "ours /secret / bare endpoint: $(ratio "${best[ours/secret]}" "${best[bare]}")"
echo "best of $ROUNDS rounds of $DURATION; wrk -t2 -c64; $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
