#!/usr/bin/env bash
# Scale check: a login storm until the store holds SIZE sessions (default a million), the app's memory after it and
# the store's size per session, then /secret latency (p50/p99) while the sweeper removes the storm's sessions as they
# idle out. 127.0.0.1 only.
#   bash bench/scale.sh                 a million (~6 min)
#   SIZE=10000000 bash bench/scale.sh   ten million (the idle timeout grows with SIZE, so no session idles out before
#                                       the storm ends: ~40 min)
set -u
SIZE=${SIZE:-1000000}
# The storm makes ~20,000 sessions a second at worst on this machine; the sessions idle out a little after it ends.
IDLE_SECONDS=${IDLE_SECONDS:-$(( SIZE / 20000 + 160 ))}
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
rm -rf /tmp/scale && mkdir -p /tmp/scale
dotnet publish -c Release SessionAdmin.Web -o /tmp/scale/app -v q -nologo >/dev/null
env ASPNETCORE_ENVIRONMENT=Production "ConnectionStrings__Sessions=Data Source=/tmp/scale/s.db" Serilog__MinimumLevel__Default=Warning \
  Admin__BootstrapPassword=x Admin__OperatorsFile=/tmp/scale/o.json Sessions__IdleTimeout=$(printf '%02d:%02d:%02d' $((IDLE_SECONDS / 3600)) $((IDLE_SECONDS % 3600 / 60)) $((IDLE_SECONDS % 60))) Sessions__SweepInterval=00:00:10 \
  dotnet /tmp/scale/app/SessionAdmin.Web.dll --urls http://127.0.0.1:5311 --contentRoot /tmp/scale/app > /tmp/scale/app.log 2>&1 &
APP=$!
sqlite_count() { python3 -c "import sqlite3; print(sqlite3.connect('/tmp/scale/s.db').execute('select count(*) from sessions').fetchone()[0])"; }
sleep 5
C=$(curl -s -D - -o /dev/null http://127.0.0.1:5311/login | tr -d '\r' | sed -n 's/^Set-Cookie: mysessionid=\([^;]*\).*/\1/p')
echo "start rss_kb=$(ps -o rss= -p $APP)"
# The storm runs in 20-second rounds until the store holds SIZE sessions (a faster app makes more of them in fixed
# time, and the sweep's load below should be the target's size, not whatever the storm reached).
storm_start=$(date +%s)
while [ "$(sqlite_count)" -lt "$SIZE" ]; do wrk -t2 -c64 -d20s http://127.0.0.1:5311/login | grep -E "Requests/sec"; done
echo "storm: $(sqlite_count) sessions in $(( $(date +%s) - storm_start )) s"
echo "after storm rss_kb=$(ps -o rss= -p $APP)"
n=$(sqlite_count); bytes=$(( $(stat -c %s /tmp/scale/s.db) + $(stat -c %s /tmp/scale/s.db-wal 2>/dev/null || echo 0) ))
echo "sessions in store: $n; store files $(( bytes / 1048576 )) MB, $(( bytes / n )) bytes per session"
# keep the probe session alive, then measure /secret latency while the storm's sessions expire and are swept
# Wait until just before the first of the storm's sessions idle out (IDLE_SECONDS after it began), touching the probe
# session, so that the measured window sees every removal.
while [ $(( $(date +%s) - storm_start )) -lt $(( IDLE_SECONDS - 10 )) ]; do curl -s -o /dev/null -H "Cookie: mysessionid=$C" http://127.0.0.1:5311/secret; sleep 5; done
# /secret under wrk in 30-second rounds until the sweeper has removed the whole storm (at most 8 rounds a million).
before_sweep=$(sqlite_count)
echo "sessions in store as the sweep window opens: $before_sweep"
for round in $(seq 1 $(( 8 * (SIZE + 999999) / 1000000 ))); do
  wrk -t2 -c64 -d30s --latency -H "Cookie: mysessionid=$C" http://127.0.0.1:5311/secret | grep -E "Requests/sec|99%|50%|Non-2xx" | tr -s ' ' | tr '\n' ' '
  left=$(sqlite_count); echo "| round $round: $left sessions left"
  [ "$left" -lt 100 ] && break
done
echo "sessions in store after the sweep window: $(sqlite_count)"
echo "end rss_kb=$(ps -o rss= -p $APP)"
kill $APP
rm -rf /tmp/scale
