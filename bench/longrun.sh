#!/usr/bin/env bash
# The long run: MINUTES (default 30) of mixed load at about half the measured capacity on the published app (Production,
# SQLite): logins, reads of /secret, counted visits, logouts, idle sessions swept (IdleTimeout 2 min, sweep every 10 s),
# and an operator's console tab open on the live sessions page the whole time. Every minute: requests/s and p99 of
# that minute, the app's RSS, open file descriptors and threads, the store's size, and error lines logged so far.
# Passes when RSS and descriptors are flat after warm-up (last minute within 15 % / 10 of minute 5), no error line
# was logged, and no minute's p99 exceeds 3 × the median minute's.
#   bash bench/longrun.sh           MINUTES and OUT (a folder for the CSV and the log) tune it.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${MINUTES:-30}
OUT=${OUT:-$(mktemp -d)}
PORT=5331
source bench/lib.sh
need wrk
need chromium

mkdir -p "$OUT"

dotnet publish -c Release SessionAdmin.Web -o "$work/app" -v q -nologo >/dev/null
dotnet build -c Release bench/Watchers -o "$work/watchers" -v q -nologo >/dev/null

env ASPNETCORE_ENVIRONMENT=Production "ConnectionStrings__Sessions=Data Source=$work/sessions.db" Serilog__MinimumLevel__Default=Warning \
  Sessions__IdleTimeout=00:02:00 Sessions__SweepInterval=00:00:10 \
  Admin__BootstrapPassword=bench-longrun "Admin__OperatorsFile=$work/operators.json" ASPNETCORE_URLS="http://127.0.0.1:$PORT" \
  dotnet "$work/app/SessionAdmin.Web.dll" --contentRoot "$work/app" >"$OUT/app.log" 2>&1 &
app=$!
pids+=("$app")
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/secret" && break; sleep 0.2; done

# Each connection: log in, read the secret five times, count three visits; every tenth round it logs out.
cat >"$work/mixed.lua" <<'LUA'
local cookie, step, rounds = nil, 0, 0
local pause = tonumber(os.getenv("PAUSE_MS") or "0")
local plan = {"/login", "/secret", "/secret", "/examples/visits", "/secret", "/secret", "/examples/visits", "/secret", "/examples/visits"}
request = function()
  step = step + 1
  if step > #plan then
    step, rounds = 1, rounds + 1
    if rounds % 10 == 0 and cookie then
      local r = wrk.format("GET", "/logout", {["Cookie"] = "mysessionid=" .. cookie})
      cookie = nil
      return r
    end
  end
  local path = plan[step]
  if path == "/login" or not cookie then return wrk.format("GET", "/login") end
  return wrk.format("GET", path, {["Cookie"] = "mysessionid=" .. cookie})
end
response = function(status, headers, body)
  local set = headers["Set-Cookie"] or headers["set-cookie"]
  if set then
    local v = set:match("mysessionid=([^;]*)")
    if v and #v > 0 then cookie = v end
  end
end
delay = function() return pause end
LUA

capacity=$(wrk -t2 -c16 -d10s -s "$work/mixed.lua" "http://127.0.0.1:$PORT/" | awk '/Requests\/sec/ {print $2}')
# 16 connections, each pausing so that together they send about half of that.
pause=$(awk -v c="$capacity" 'BEGIN {p = 16 * 1000 / (c / 2); printf "%d", (p < 1 ? 1 : p)}')
echo "capacity (mixed, 16 connections): $capacity req/s; running at about half: $pause ms between a connection's requests"

dotnet "$work/watchers/Watchers.dll" "http://127.0.0.1:$PORT" admin bench-longrun 1 $((MINUTES * 60 + 120)) /admin/sessions >"$OUT/watchers.log" 2>&1 &
pids+=("$!")

csv="$OUT/longrun.csv"
echo "minute,requests_per_s,p99_ms,rss_mb,fds,threads,store_mb,error_lines,non_2xx" >"$csv"
for m in $(seq 1 "$MINUTES"); do
  out=$(env PAUSE_MS="$pause" wrk -t2 -c16 -d60s --latency -s "$work/mixed.lua" "http://127.0.0.1:$PORT/")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms/, "", v)} else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}; print v}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out"); non2xx=${non2xx:-0}
  rss=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$app/status")
  fds=$(ls "/proc/$app/fd" | wc -l)
  threads=$(awk '/Threads/ {print $2}' "/proc/$app/status")
  store=$(du -cb "$work"/sessions.db* | tail -1 | awk '{printf "%.1f", $1 / 1048576}')
  errors=$(grep -c -E '\] (ERR|FTL)' "$OUT/app.log" || true)
  echo "$m,$rps,$p99,$rss,$fds,$threads,$store,$errors,$non2xx" | tee -a "$csv"
done

echo
echo "| minute | req/s | p99 (ms) | RSS (MB) | fds | threads | store (MB) | error lines | non-2xx |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
tail -n +2 "$csv" | awk -F, '{printf "| %s | %.0f | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9}'
echo "$(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ); CSV and the app's log in $OUT"
python3 - "$csv" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
warm = rows[min(4, len(rows) - 1)]; last = rows[-1]
p99 = [float(r["p99_ms"]) for r in rows]; median = statistics.median(p99)
checks = {
    "RSS flat after warm-up (last within 15 % of minute 5)": float(last["rss_mb"]) <= float(warm["rss_mb"]) * 1.15,
    "descriptors flat (last within 10 of minute 5)": int(last["fds"]) <= int(warm["fds"]) + 10,
    "no error line logged": int(last["error_lines"]) == 0,
    "p99 steady (no minute over 3 x the median minute)": max(p99) <= 3 * median,
}
for name, ok in checks.items(): print(("PASS " if ok else "FAIL ") + name)
sys.exit(0 if all(checks.values()) else 1)
PY
