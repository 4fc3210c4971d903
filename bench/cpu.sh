#!/usr/bin/env bash
# Where a request's CPU goes: the server's CPU time per request, split by thread (request threads, the commit writer,
# the garbage collector, the socket engine, the JIT), for ours and ASP.NET Core's session on the in-memory cache, on
# /login (the storm) and /secret. Read from /proc around one wrk run per app and route, after a warm-up long enough for
# tiered compilation to settle. CPU per request holds still where the rate swings with the machine's other load.
#   bash bench/cpu.sh        DURATION (default 8s) and WARMUP (default 8s) tune it.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-8s}
WARMUP=${WARMUP:-8s}
source bench/lib.sh
need wrk

publish_apps
ours_port=$(free_port)
peer_port=$(free_port)
start ours "$ours_port" env ASPNETCORE_ENVIRONMENT=Production "ConnectionStrings__Sessions=Data Source=$work/ours.db" \
  Serilog__MinimumLevel__Default=Warning Admin__BootstrapPassword=bench-only "Admin__OperatorsFile=$work/operators.json" \
  dotnet "$work/ours-app/SessionAdmin.Web.dll" --contentRoot "$work/ours-app"
ours_pid=${pids[-1]}
start memory "$peer_port" dotnet "$work/peer-app/PeerApp.dll" memory
peer_pid=${pids[-1]}

# CPU ticks per thread group of a process (thread names as the runtime gives them; the fields after the name's ')').
snapshot() { # pid
  for t in /proc/"$1"/task/*; do
    printf '%s %s\n' "$(tr ' ' '_' <"$t/comm")" "$(sed 's/.*) //' "$t/stat" | awk '{print $12 + $13}')"
  done | awk '{ g = $1
    if (g ~ /TP_Worker/) g = "requests (thread pool)"; else if (g ~ /SessionAdmin/) g = "commit writer"
    else if (g ~ /GC|BGC/) g = "garbage collector"; else if (g ~ /Sockets/) g = "socket engine"
    else if (g ~ /Tiered/) g = "JIT"; else g = "other"
    a[g] += $2 } END { for (k in a) print k "\t" a[k] }' | sort
}

# Prints "<group>\t<µs per request>" lines and a total for one app and route.
measure() { # pid port path [wrk args]
  local pid=$1 port=$2 path=$3; shift 3
  wrk -t2 -c64 -d"$WARMUP" "$@" "http://127.0.0.1:$port$path" >/dev/null
  snapshot "$pid" >"$work/before"
  local out reqs
  out=$(wrk -t2 -c64 -d"$DURATION" "$@" "http://127.0.0.1:$port$path")
  snapshot "$pid" >"$work/after"
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "rate	$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')"
  join -t $'\t' "$work/before" "$work/after" | awk -F'\t' -v n="$reqs" -v hz="$(getconf CLK_TCK)" \
    '{ d = ($3 - $2) * 1e6 / hz / n; t += d; printf "%s\t%.1f\n", $1, d } END { printf "total\t%.1f\n", t }'
}

for path in /login /secret; do
  ours_args=(); peer_args=()
  if [ "$path" = /secret ]; then
    ours_args=(-H "Cookie: mysessionid=$(cookie "$ours_port")"); peer_args=(-H "Cookie: mysessionid=$(cookie "$peer_port")")
  fi
  measure "$ours_pid" "$ours_port" "$path" "${ours_args[@]}" >"$work/ours.tsv"
  measure "$peer_pid" "$peer_port" "$path" "${peer_args[@]}" >"$work/peer.tsv"
  echo
  echo "$path: server CPU per request (µs), by thread"
  echo
  echo "| | ours | ASP.NET Core session, memory |"
  echo "|---|---:|---:|"
  for g in "requests (thread pool)" "commit writer" "garbage collector" "socket engine" "JIT" "other" total rate; do
    o=$(awk -F'\t' -v g="$g" '$1 == g {print $2}' "$work/ours.tsv"); p=$(awk -F'\t' -v g="$g" '$1 == g {print $2}' "$work/peer.tsv")
    [ "$g" = rate ] && g="requests/second"
    echo "| $g | ${o:-0.0} | ${p:-0.0} |"
  done
done
echo
echo "wrk -t2 -c64, $WARMUP warm-up then $DURATION measured per app and route; $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
