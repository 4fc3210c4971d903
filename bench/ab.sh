#!/usr/bin/env bash
# A/B: this working tree against another commit (default: HEAD~1), both published, on 127.0.0.1, taking turns so the
# machine's drift hits both alike. Prints requests/second per round and the ratio this/that for /login and /secret.
#   bash bench/ab.sh [git-ref]      DURATION (default 8s) and ROUNDS (default 3) tune it.
set -euo pipefail
cd "$(dirname "$0")/.."
REF=${1:-HEAD~1}
DURATION=${DURATION:-8s}
ROUNDS=${ROUNDS:-3}
source bench/lib.sh
need wrk

publish_this_and_ref "$REF"

run() { # name port
  local name=$1 port=$2
  rm -f "$work/$name.db"*
  env ASPNETCORE_ENVIRONMENT=Production "ConnectionStrings__Sessions=Data Source=$work/$name.db" Serilog__MinimumLevel__Default=Warning \
    Admin__BootstrapPassword=bench-only "Admin__OperatorsFile=$work/$name-operators.json" \
    dotnet "$work/$name/SessionAdmin.Web.dll" --contentRoot "$work/$name" --urls "http://127.0.0.1:$port" >"$work/$name.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/secret" && break; sleep 0.2; done
  local sid
  sid=$(curl -s -D - -o /dev/null "http://127.0.0.1:$port/login" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: mysessionid=\([^;]*\).*/\1/p' | head -1)
  wrk -t2 -c64 -d2s "http://127.0.0.1:$port/login" >/dev/null   # warm-up
  local login secret
  login=$(wrk -t2 -c64 -d"$DURATION" "http://127.0.0.1:$port/login" | awk '/Requests\/sec/ {print $2}')
  secret=$(wrk -t2 -c64 -d"$DURATION" -H "Cookie: mysessionid=$sid" "http://127.0.0.1:$port/secret" | awk '/Requests\/sec/ {print $2}')
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$login $secret"
}

declare -a tl ts bl bs
for r in $(seq 1 "$ROUNDS"); do
  read -r a b < <(run this 5311); tl+=("$a"); ts+=("$b")
  read -r a b < <(run that 5312); bl+=("$a"); bs+=("$b")
  echo "round $r: /login this ${tl[-1]} that ${bl[-1]}; /secret this ${ts[-1]} that ${bs[-1]}"
done
mean() { printf '%s\n' "$@" | awk '{s += $1} END {printf "%.0f", s / NR}'; }
echo
echo "| route | this (mean req/s) | $REF (mean req/s) | this / that |"
echo "|---|---:|---:|---:|"
for route in login secret; do
  if [ $route = login ]; then a=$(mean "${tl[@]}"); b=$(mean "${bl[@]}"); else a=$(mean "${ts[@]}"); b=$(mean "${bs[@]}"); fi
  echo "| /$route | $a | $b | $(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.3f", a / b}') |"
done
echo "$ROUNDS rounds of $DURATION each, alternating; wrk -t2 -c64; $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
