#!/usr/bin/env bash
# A/B: this working tree against another commit (default: HEAD~1), both published, on 127.0.0.1, taking turns so the
# machine's drift hits both alike. Prints requests/second per round and the ratio this/that for /login and /secret, and
# the server's CPU time per request (user + system, from /proc): steadier than the rate when other work shares the machine.
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
  login=$(measure "$pid" "http://127.0.0.1:$port/login")
  secret=$(measure "$pid" "http://127.0.0.1:$port/secret" -H "Cookie: mysessionid=$sid")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$login $secret"
}

# Prints "requests/second:microseconds of server CPU per request" for one wrk run.
measure() { # pid url [wrk args]
  local pid=$1 url=$2; shift 2
  local before after out
  before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  out=$(wrk -t2 -c64 -d"$DURATION" "$@" "$url")
  after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  awk -v out="$out" -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" 'BEGIN {
    n = split(out, lines, "\n")
    for (i = 1; i <= n; i++) {
      if (lines[i] ~ /requests in/) { split(lines[i], f, " "); reqs = f[1] }
      if (lines[i] ~ /Requests\/sec/) { split(lines[i], f, " "); rate = f[2] }
    }
    printf "%s:%.1f", rate, ticks * 1e6 / hz / reqs
  }'
}

declare -a tl ts bl bs
for r in $(seq 1 "$ROUNDS"); do
  # Which goes first alternates too: the second of a pair ran measurably faster on a warm machine.
  if [ $((r % 2)) = 1 ]; then
    read -r a b < <(run this 5311); tl+=("$a"); ts+=("$b")
    read -r a b < <(run that 5312); bl+=("$a"); bs+=("$b")
  else
    read -r a b < <(run that 5312); bl+=("$a"); bs+=("$b")
    read -r a b < <(run this 5311); tl+=("$a"); ts+=("$b")
  fi
  echo "round $r (req/s:µs CPU per request): /login this ${tl[-1]} that ${bl[-1]}; /secret this ${ts[-1]} that ${bs[-1]}"
done
mean() { # field (1: rate, 2: CPU) values...
  local field=$1; shift
  printf '%s\n' "$@" | awk -F: -v f="$field" '{s += $f} END {printf "%.1f", s / NR}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }
echo
echo "| route | this req/s | $REF req/s | this / that | this µs CPU/req | $REF µs CPU/req | this / that |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for route in login secret; do
  if [ $route = login ]; then t=("${tl[@]}"); b=("${bl[@]}"); else t=("${ts[@]}"); b=("${bs[@]}"); fi
  r1=$(mean 1 "${t[@]}"); r2=$(mean 1 "${b[@]}"); c1=$(mean 2 "${t[@]}"); c2=$(mean 2 "${b[@]}")
  echo "| /$route | ${r1%.*} | ${r2%.*} | $(ratio "$r1" "$r2") | $c1 | $c2 | $(ratio "$c1" "$c2") |"
done
echo "$ROUNDS rounds of $DURATION each, alternating; wrk -t2 -c64; $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
