#!/usr/bin/env bash
# Several nodes: two nodes of ours on one PostgreSQL 15 with its default durability (fsync, synchronous_commit and
# full_page_writes on), against two nodes of ASP.NET Core's session middleware on one Redis 7 (Debian's redis-server,
# default configuration; Microsoft.Extensions.Caching.StackExchangeRedis), on 127.0.0.1. Load is spread over both nodes
# of each side: one wrk per node (-t1 -c32), at the same time. Prints requests/second (sum of the two nodes), p99 (the
# worse node) and the ratios ours/peer, best of ROUNDS (default 3) runs of DURATION (default 10s), sides alternating.
# A saturated p99 is mostly the queue (by Little's law the slower side's requests wait longer in it), so a second table
# gives both sides the same offered load, half the slower side's best rate: the same connections, each waiting a fixed
# think time between requests (wrk's delay()), and the p99 each side answers that load with.
#   bash bench/cluster.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
source bench/lib.sh
PG_PORT=$(free_port)
REDIS_PORT=$(free_port)
need wrk; need redis-server
need /usr/lib/postgresql/15/bin/postgres postgresql-15

chmod 755 "$work"
pg=/usr/lib/postgresql/15/bin
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# On exit PostgreSQL stops first, then lib.sh's cleanup ends the apps and removes $work.
trap 'as_postgres "$pg/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true; cleanup' EXIT

# PostgreSQL with its defaults (only the address, the port and enough connections set).
mkdir -p "$work/pg"; [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$work/pg"
as_postgres "$pg/initdb" -D "$work/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$pg/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w start -o "-h 127.0.0.1 -p $PG_PORT -k /tmp -c max_connections=300" >/dev/null
as_postgres "$pg/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc 'CREATE DATABASE sessions'
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$work" >"$work/redis.log" 2>&1 &
pids+=($!)

publish_apps
ours() { # node-name, then the arguments start adds
  local node=$1; shift
  # exec: the background job is then dotnet itself, which the cleanup ends (a plain call left the nodes running).
  exec env ASPNETCORE_ENVIRONMENT=Production Sessions__Store=Postgres \
  "ConnectionStrings__Sessions=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=sessions" Serilog__MinimumLevel__Default=Warning \
  Admin__BootstrapPassword=bench-only "Admin__OperatorsFile=$work/operators-$node.json" dotnet "$work/ours-app/SessionAdmin.Web.dll" --contentRoot "$work/ours-app" "$@"; }
declare -A first=([ours]=$(free_port) [peer]=$(free_port)) second=([ours]=$(free_port) [peer]=$(free_port)) sid
start ours-a "${first[ours]}" ours a
start ours-b "${second[ours]}" ours b
start peer-a "${first[peer]}" dotnet "$work/peer-app/PeerApp.dll" redis "127.0.0.1:$REDIS_PORT"
start peer-b "${second[peer]}" dotnet "$work/peer-app/PeerApp.dll" redis "127.0.0.1:$REDIS_PORT"

for side in ours peer; do sid[$side]=$(cookie "${first[$side]}"); done
# A session made on one node is served on the other (otherwise the table would measure 403s).
for side in ours peer; do
  body=$(curl -s -H "Cookie: mysessionid=${sid[$side]}" "http://127.0.0.1:${second[$side]}/secret")
  [ "$body" = "The cake is a lie!" ] || { echo "$side: node B did not serve node A's session (cookie '${sid[$side]}'): $body" >&2; tail -n 20 "$work/$side-a.log" "$work/$side-b.log" >&2; exit 1; }
done

# ms() <percentile>: that latency percentile of a wrk --latency output, in ms.
ms() { awk -v q="$1%" '$1 == q {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms/, "", v)} else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}; print v}'; }
# Prints "<req/s of both nodes> <p99 ms of the worse node> <p50 ms of the worse node>" for one route on one side:
# wrk -t1 -c32 per node, or paced with PACE="<connections per node> <think time in ms>".
pair() { # side path [cookie]
  local side=$1 path=$2 load=(-t1 -c32)
  [ -n "${3:-}" ] && load+=(-H "Cookie: mysessionid=$3")
  if [ -n "${PACE:-}" ]; then
    read -r conns think <<<"$PACE"
    printf 'function delay() return %s end\n' "$think" >"$work/pace.lua"
    load=(-t1 -c"$conns" -s "$work/pace.lua" "${load[@]:2}")
  fi
  wrk "${load[@]}" -d"$DURATION" --latency "http://127.0.0.1:${first[$side]}$path" >"$work/a.out" &
  local a=$!
  wrk "${load[@]}" -d"$DURATION" --latency "http://127.0.0.1:${second[$side]}$path" >"$work/b.out"
  wait "$a"
  local rps p99 p50
  rps=$(cat "$work/a.out" "$work/b.out" | awk '/Requests\/sec/ {s += $2} END {printf "%.0f", s}')
  p99=$( (ms 99 <"$work/a.out"; ms 99 <"$work/b.out") | sort -g | tail -1)
  p50=$( (ms 50 <"$work/a.out"; ms 50 <"$work/b.out") | sort -g | tail -1)
  echo "$rps $p99 $p50"
}

# Warm-up (JIT, pools, prepared statements), not measured.
for side in ours peer; do DURATION=3s pair "$side" /secret "${sid[$side]}" >/dev/null; DURATION=3s pair "$side" /login >/dev/null; done

declare -A best p99
keep() { local k=$1 r=$2 p=$3; if [ -z "${best[$k]:-}" ] || [ "$r" -gt "${best[$k]}" ]; then best[$k]=$r; p99[$k]=$p; fi; }
for round in $(seq 1 "$ROUNDS"); do
  for side in ours peer; do
    read -r r p _ < <(pair "$side" /secret "${sid[$side]}"); keep "$side/secret" "$r" "$p"
    read -r r p _ < <(pair "$side" /login); keep "$side/login" "$r" "$p"
  done
  echo "round $round of $ROUNDS done" >&2
done

ratio() { awk "BEGIN{printf \"%.2f\", $1 / $2}"; }
echo "| route | ours: 2 nodes, PostgreSQL (req/s) | p99 (ms) | peer: 2 nodes, Redis (req/s) | p99 (ms) | ours / peer | p99 ours / peer |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for route in secret login; do
  echo "| /$route | ${best[ours/$route]} | ${p99[ours/$route]} | ${best[peer/$route]} | ${p99[peer/$route]} | $(ratio "${best[ours/$route]}" "${best[peer/$route]}") | $(ratio "${p99[ours/$route]}" "${p99[peer/$route]}") |"
done
echo "best of $ROUNDS × $DURATION per side and route; one wrk -t1 -c32 per node, both at once; $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"

# The same offered load on both sides: half the slower side's best rate, as 64 connections per node with a think time;
# ROUNDS runs per side, alternating, and the median of each figure (one 10 s run's p99 swings by 2 ×).
# Each store starts the section quiet: the storms above left PostgreSQL a checkpoint of their WAL to spread over
# minutes, and its statistics to redo, and Redis a snapshot to write (its default "save" rules); those are the
# storms' cost, not the latency of this load.
settle() {
  as_postgres "$pg/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d sessions -qc 'CHECKPOINT' -c 'VACUUM ANALYZE' >/dev/null
  redis-cli -p "$REDIS_PORT" SAVE >/dev/null
}
median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
echo
echo "| route, same offered load | offered (req/s) | ours (req/s) | p50 (ms) | p99 (ms) | peer (req/s) | p50 (ms) | p99 (ms) | p99 ours / peer |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for route in secret login; do
  slower=$(( best[ours/$route] < best[peer/$route] ? best[ours/$route] : best[peer/$route] ))
  think=$(( 2 * 64 * 1000 / (slower / 2) ))   # ms between one connection's requests, so that 2 × 64 of them offer that rate
  [ "$think" -ge 1 ] || think=1
  for side in ours peer; do : >"$work/paced-$side"; done
  settle
  for round in $(seq 1 "$ROUNDS"); do
    for side in ours peer; do
      PACE="64 $think" pair "$side" "/$route" "$([ "$route" = secret ] && echo "${sid[$side]}")" >>"$work/paced-$side"
    done
  done
  declare -A m   # the medians: m[side field], fields as pair prints them (1 req/s, 2 p99, 3 p50)
  for side in ours peer; do for field in 1 2 3; do m[$side $field]=$(cut -d' ' -f"$field" "$work/paced-$side" | median); done; done
  echo "| /$route | $(( 2 * 64 * 1000 / think )) | ${m[ours 1]} | ${m[ours 3]} | ${m[ours 2]} | ${m[peer 1]} | ${m[peer 3]} | ${m[peer 2]} | $(ratio "${m[ours 2]}" "${m[peer 2]}") |"
done
echo "median of $ROUNDS runs of $DURATION per side and route; one wrk -t1 -c64 per node, each connection waiting $think ms (the last route's) between requests"
