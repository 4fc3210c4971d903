#!/usr/bin/env bash
# A flood of forged cookies (a new random session ID on every request, as a scanner or an attacker sends): what it
# costs this working tree and another commit (default: 95592a6, before empty sessions stopped being stored). Each side:
# the published app on a fresh SQLite store, DURATION (default 5s) of wrk -t2 -c16 on /secret with forged cookies.
# Prints requests answered, rows the store holds afterwards, the store's size, and the app's CPU per request.
#   bash bench/forged.sh [git-ref]
set -euo pipefail
cd "$(dirname "$0")/.."
REF=${1:-95592a6}
DURATION=${DURATION:-5s}
source bench/lib.sh
need wrk

publish_this_and_ref "$REF"
cat >"$work/forged.lua" <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/secret", {["Cookie"] = "mysessionid=forged" .. math.random(1, 1000000000) .. "n" .. counter})
end
LUA

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run() { # name port
  local name=$1 port=$2 db="$work/$1.db"
  env ASPNETCORE_ENVIRONMENT=Production "ConnectionStrings__Sessions=Data Source=$db" Serilog__MinimumLevel__Default=Warning \
    Admin__BootstrapPassword=bench-only "Admin__OperatorsFile=$work/$name-operators.json" \
    dotnet "$work/$name/SessionAdmin.Web.dll" --contentRoot "$work/$name" --urls "http://127.0.0.1:$port" >"$work/$name.log" 2>&1 &
  local pid=$!; pids+=("$pid")
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/secret" && break; sleep 0.2; done
  wrk -t2 -c16 -d2s -s "$work/forged.lua" "http://127.0.0.1:$port/" >/dev/null   # warm-up (its rows are counted too)
  local before requests after rows size
  before=$(cpu_ticks "$pid")
  requests=$(wrk -t2 -c16 -d"$DURATION" -s "$work/forged.lua" "http://127.0.0.1:$port/" | awk '/requests in/ {print $1}')
  after=$(cpu_ticks "$pid")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rows=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from sessions').fetchone()[0])" "$db")
  size=$(du -cb "$db"* | tail -1 | cut -f1)
  local hz; hz=$(getconf CLK_TCK)
  echo "$requests $rows $size $(awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')"
}

read -r tr trows tsize tcpu < <(run this 5321)
read -r br brows bsize bcpu < <(run that 5322)
echo "| build | forged requests (${DURATION}) | rows stored afterwards | store size (bytes) | app CPU per request (µs) |"
echo "|---|---:|---:|---:|---:|"
echo "| this tree | $tr | $trows | $tsize | $tcpu |"
echo "| $REF | $br | $brows | $bsize | $bcpu |"
echo "rows include the warm-up's; wrk -t2 -c16; $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
