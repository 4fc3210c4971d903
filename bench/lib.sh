# Shared by the benchmarks (sourced from the repository root): tools, a scratch folder cleaned up on exit, the published
# apps, and starting one on a loopback port.

# need <command> [debian-package]: installs the package when the command is missing.
need() { command -v "$1" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${2:-$1}" >/dev/null; }; }

# $work: a scratch folder; pids: what the script starts. On exit both go (and a worktree of publish_this_and_ref).
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
            git worktree remove --force "$work/base-src" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# publish_this_and_ref <git-ref>: this working tree's app in $work/this, the ref's in $work/that (for A/B runs).
publish_this_and_ref() {
  git worktree add --detach -q "$work/base-src" "$1"
  dotnet publish -c Release SessionAdmin.Web -o "$work/this" -v q -nologo >/dev/null
  dotnet publish -c Release "$work/base-src/SessionAdmin.Web" -o "$work/that" -v q -nologo >/dev/null
}

# Published builds, as they are deployed: a build output also serves static assets for hot reload, which adds a
# file lookup to every request's routing.
publish_apps() {
  dotnet publish -c Release SessionAdmin.Web -o "$work/ours-app" -v q -nologo >/dev/null
  dotnet publish -c Release bench/PeerApp -o "$work/peer-app" -v q -nologo >/dev/null
}

# free_port: a loopback TCP port nothing listens on or lingers on now (a fixed port can be held by a test's closed app).
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

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
