# Shared by the HTTP benchmarks (sourced): the published apps, and starting one on a loopback port.
# Expects $work (a scratch folder) and the array pids (what the caller's cleanup kills).

# Published builds, as they are deployed: a build output also serves static assets for hot reload, which adds a
# file lookup to every request's routing.
publish_apps() {
  dotnet publish -c Release SessionAdmin.Web -o "$work/ours-app" -v q -nologo >/dev/null
  dotnet publish -c Release bench/PeerApp -o "$work/peer-app" -v q -nologo >/dev/null
}

# start <name> <port> <command...>: runs the command on http://127.0.0.1:<port> and waits until it answers.
start() {
  local name=$1 port=$2; shift 2
  "$@" --urls "http://127.0.0.1:$port" >"$work/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 150); do curl -s -o /dev/null "http://127.0.0.1:$port/secret" && return; sleep 0.2; done
  echo "$name did not start" >&2; cat "$work/$name.log" >&2; exit 1
}

# cookie <port>: the session cookie a fresh /login gets.
cookie() { curl -s -D - -o /dev/null "http://127.0.0.1:$1/login" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: mysessionid=\([^;]*\).*/\1/p' | head -1; }
