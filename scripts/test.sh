#!/usr/bin/env bash
# Runs every test (unit, bUnit, HTTP, crash, browser, two-node, faults) and ends with one line: "P passed, F failed, S skipped".
#   bash scripts/test.sh           everything (CI runs this; installs Chromium and PostgreSQL when missing, so run it as root)
#   bash scripts/test.sh --fast    the local loop: unit, bUnit and in-process HTTP tests on SQLite and memory, in about a
#                                  minute; no PostgreSQL, no Chromium, no root (a few start the built app as a process)
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--fast" ]; then
  dotnet build SessionAdmin.Tests -c Release -v q -nologo | grep -E "error|warn" || true
  # The PostgreSQL-backed store classes are named Postgres…; single PostgreSQL cases carry the trait Needs=PostgreSQL.
  exec dotnet run --project SessionAdmin.Tests -c Release --no-build -- \
    -namespace- SessionAdmin.Tests.Browser -namespace- SessionAdmin.Tests.Cluster -namespace- SessionAdmin.Tests.Faults \
    -class- '*.Postgres*' -class- SessionAdmin.Tests.Core.ClusterTests -class- SessionAdmin.Tests.Web.CrashDurabilityTests \
    -class- SessionAdmin.Tests.Web.ListeningAddressTests -trait- Needs=PostgreSQL
fi

# The browser tests drive Debian's Chromium (never a downloaded browser); the storage-fault tests use chattr.
if ! command -v chromium >/dev/null || ! command -v chattr >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then echo "install chromium and e2fsprogs (apt-get install chromium e2fsprogs), or run as root" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium e2fsprogs >/dev/null
fi

# The store-level and two-node tests run against a real PostgreSQL: a throwaway cluster on 127.0.0.1 (installed when
# missing), unless SESSIONADMIN_TEST_POSTGRES names a server already.
if [ -z "${SESSIONADMIN_TEST_POSTGRES:-}" ]; then
  SESSIONADMIN_TEST_POSTGRES=$(bash scripts/postgres.sh) || { echo "PostgreSQL did not start" >&2; exit 1; }
  export SESSIONADMIN_TEST_POSTGRES
fi

log=$(mktemp)
dotnet test SessionAdmin.sln -c Release 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

sum() { grep -E "^\s+$1: [0-9]+" "$log" | awk '{s += $2} END {print s + 0}'; }
passed=$(sum succeeded); failed=$(sum failed); skipped=$(sum skipped)
rm -f "$log"

echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ]; then exit "$status"; fi
if [ "$passed" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
