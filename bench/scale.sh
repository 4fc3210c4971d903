#!/usr/bin/env bash
# Scale check: a login storm until the store holds a million sessions, the app's memory after it, then
# /secret latency (p50/p99) while the sweeper removes the storm's sessions as they idle out. 127.0.0.1 only.
set -u
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
rm -rf /tmp/scale && mkdir -p /tmp/scale
dotnet publish -c Release SessionAdmin.Web -o /tmp/scale/app -v q -nologo >/dev/null
env ASPNETCORE_ENVIRONMENT=Production "ConnectionStrings__Sessions=Data Source=/tmp/scale/s.db" Serilog__MinimumLevel__Default=Warning \
  Admin__BootstrapPassword=x Admin__OperatorsFile=/tmp/scale/o.json Sessions__IdleTimeout=00:03:30 Sessions__SweepInterval=00:00:10 \
  dotnet /tmp/scale/app/SessionAdmin.Web.dll --urls http://127.0.0.1:5311 --contentRoot /tmp/scale/app > /tmp/scale/app.log 2>&1 &
APP=$!
sqlite_count() { python3 -c "import sqlite3; print(sqlite3.connect('/tmp/scale/s.db').execute('select count(*) from sessions').fetchone()[0])"; }
sleep 5
C=$(curl -s -D - -o /dev/null http://127.0.0.1:5311/login | tr -d '\r' | sed -n 's/^Set-Cookie: mysessionid=\([^;]*\).*/\1/p')
echo "start rss_kb=$(ps -o rss= -p $APP)"
# The storm runs in 20-second rounds until the store holds a million sessions (a faster app makes more of them in
# fixed time, and the sweep's load below should be the target's million, not whatever the storm reached).
storm_start=$(date +%s)
while [ "$(sqlite_count)" -lt 1000000 ]; do wrk -t2 -c64 -d20s http://127.0.0.1:5311/login | grep -E "Requests/sec"; done
echo "storm: $(sqlite_count) sessions in $(( $(date +%s) - storm_start )) s"
echo "after storm rss_kb=$(ps -o rss= -p $APP)"
echo "sessions in store: $(sqlite_count)"
# keep the probe session alive, then measure /secret latency while the storm's sessions expire and are swept
# Wait until just before the first of the storm's sessions idle out (3.5 minutes after it began), touching the probe
# session, so that the measured window sees every removal.
while [ $(( $(date +%s) - storm_start )) -lt 200 ]; do curl -s -o /dev/null -H "Cookie: mysessionid=$C" http://127.0.0.1:5311/secret; sleep 5; done
# /secret under wrk in 30-second rounds until the sweeper has removed the whole storm (at most 8 rounds).
before_sweep=$(sqlite_count)
echo "sessions in store as the sweep window opens: $before_sweep"
for round in $(seq 1 8); do
  wrk -t2 -c64 -d30s --latency -H "Cookie: mysessionid=$C" http://127.0.0.1:5311/secret | grep -E "Requests/sec|99%|50%|Non-2xx" | tr -s ' ' | tr '\n' ' '
  left=$(sqlite_count); echo "| round $round: $left sessions left"
  [ "$left" -lt 100 ] && break
done
echo "sessions in store after the sweep window: $(sqlite_count)"
echo "end rss_kb=$(ps -o rss= -p $APP)"
kill $APP
rm -rf /tmp/scale
