#!/usr/bin/env bash
# Runs every test (unit, component, integration, real-browser), installing what the tests need first:
# once on SQLite (the embedded default), then again on PostgreSQL, on a throwaway server of its own.
set -euo pipefail
cd "$(dirname "$0")"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
apt_install() {
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  apt_install chromium
fi

# The PostgreSQL run needs the server's programs (Debian's postgresql package; its cluster is not used).
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "Installing Debian's postgresql for the PostgreSQL run..."
  apt_install postgresql
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

dotnet tool restore >/dev/null
# The OpenAPI linter (Redocly CLI, pinned in GoalsDashboard.Tests/package-lock.json) that Api/ApiLintTests runs.
npm ci --prefix GoalsDashboard.Tests --no-audit --no-fund --loglevel=error >/dev/null
# The app's build runs `npm ci` (ApexCharts) on its own; see GoalsDashboard.csproj.
dotnet build GoalsDashboard.sln -v quiet -nologo

# PostgreSQL refuses to run as root: as root, the server runs as the postgres user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
# Servers of earlier runs that were killed before they could clean up.
for old in /tmp/goalsdashboard-pg.*; do
  [ -d "$old" ] || continue
  if ! as_pg "$pg_bin/pg_ctl" -D "$old/data" status >/dev/null 2>&1; then rm -rf "$old"; fi
done
pg_dir=$(mktemp -d /tmp/goalsdashboard-pg.XXXXXX)
if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_dir"; fi
stop_pg() {
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_pg EXIT
trap 'exit 130' INT TERM
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust --no-sync >/dev/null
# A free port on 127.0.0.1 (another may take it first: then the next one is tried). Durability is not under test here.
pg_port=""
for attempt in 1 2 3 4 5; do
  port=$(( 20000 + RANDOM % 20000 ))
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
  if as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $pg_dir -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null; then
    pg_port=$port
    break
  fi
done
if [ -z "$pg_port" ]; then
  echo "PostgreSQL did not start:" >&2
  cat "$pg_dir/server.log" >&2
  exit 1
fi

log=$(mktemp)
run() {
  local name=$1
  shift
  echo "== $name run =="
  set +e
  "$@" 2>&1 | tee "$log.$name"
  local status=${PIPESTATUS[0]}
  set -e
  return "$status"
}
status=0
# Tests of one store's own workings carry the trait Provider=SqliteOnly or Provider=PostgresOnly.
run "SQLite" dotnet test GoalsDashboard.sln --no-build --filter "Provider!=PostgresOnly" || status=$?
GOALS_TEST_PROVIDER=Postgres GOALS_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres" \
  run "PostgreSQL" dotnet test GoalsDashboard.sln --no-build --filter "Provider!=SqliteOnly" || status=$?

pattern="Failed:[[:space:]]+[0-9]+, Passed:[[:space:]]+[0-9]+, Skipped:[[:space:]]+[0-9]+"
sqlite_summary=$(grep -E "$pattern" "$log.SQLite" | tail -n 1 || true)
postgres_summary=$(grep -E "$pattern" "$log.PostgreSQL" | tail -n 1 || true)
echo "SQLite run:     ${sqlite_summary:-no summary (see above)}"
echo "PostgreSQL run: ${postgres_summary:-no summary (see above)}"
summaries=$(printf '%s\n%s\n' "$sqlite_summary" "$postgres_summary")
rm -f "$log" "$log.SQLite" "$log.PostgreSQL"
count() { sed -nE "s/.*$1:[[:space:]]+([0-9]+).*/\\1/p" <<<"$summaries" | awk '{ n += $1 } END { print n + 0 }'; }
if [ -n "$summaries" ]; then
  echo "tests: $(count Passed) passed, $(count Failed) failed, $(count Skipped) skipped"
fi
exit "$status"
