#!/usr/bin/env bash
# Packs SessionAdmin.Core (package with README, XML docs and symbols) and proves it usable the way a user meets it: a new
# app outside this repository (samples/Consumer: the README's "Using the library" snippet) takes the package from a
# local folder feed, builds warning-free, runs, and counts two visits of one visitor.
#   bash scripts/pack.sh            prints the package's path and "consumer: 1 visit(s), 2 visit(s)"
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
app=""
cleanup() { [ -n "$app" ] && kill "$app" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

dotnet pack SessionAdmin.Core -c Release -o "$work/feed" -v q -nologo >/dev/null
package=$(ls "$work/feed"/SessionAdmin.Core.*.nupkg | grep -v snupkg)
version=$(basename "$package" .nupkg | sed 's/^SessionAdmin\.Core\.//')
python3 - "$package" <<'PY'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
missing = [p for p in ("README.md", "lib/net10.0/SessionAdmin.Core.dll", "lib/net10.0/SessionAdmin.Core.xml") if p not in names]
sys.exit(f"the package lacks {', '.join(missing)}" if missing else 0)
PY
ls "$work/feed"/SessionAdmin.Core."$version".snupkg >/dev/null
echo "packed: SessionAdmin.Core $version (with README, XML docs and symbols)"

cp -r samples/Consumer "$work/consumer"
cd "$work/consumer"
cat >nuget.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local" value="$work/feed" />
  </packageSources>
</configuration>
XML
# The local feed for our package; the machine's own sources (kept) for its dependencies.
dotnet add package SessionAdmin.Core --version "$version" >/dev/null
dotnet build -c Release -v q -nologo >/dev/null
port=5341
ASPNETCORE_URLS="http://127.0.0.1:$port" dotnet bin/Release/net10.0/Consumer.dll >"$work/consumer.log" 2>&1 &
app=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/visits" -c "$work/warmup" && break; sleep 0.2; done
first=$(curl -s -c "$work/jar" "http://127.0.0.1:$port/visits")
second=$(curl -s -b "$work/jar" "http://127.0.0.1:$port/visits")
echo "consumer: $first, $second"
[ "$first" = "1 visit(s)" ] && [ "$second" = "2 visit(s)" ] || { echo "the consumer app did not count its visits" >&2; cat "$work/consumer.log" >&2; exit 1; }
