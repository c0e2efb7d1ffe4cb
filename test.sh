#!/usr/bin/env bash
# Runs every test (unit, component, integration, real-browser), installing what the tests need first.
set -euo pipefail
cd "$(dirname "$0")"

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

dotnet tool restore >/dev/null
# The app's build runs `npm ci` (ApexCharts) on its own; see GoalsDashboard.csproj.
log=$(mktemp)
set +e
dotnet test GoalsDashboard.sln 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

summary=$(grep -E "Failed:[[:space:]]+[0-9]+, Passed:[[:space:]]+[0-9]+, Skipped:[[:space:]]+[0-9]+" "$log" | tail -n 1 || true)
rm -f "$log"
if [ -n "$summary" ]; then
  failed=$(sed -E 's/.*Failed:[[:space:]]+([0-9]+).*/\1/' <<<"$summary")
  passed=$(sed -E 's/.*Passed:[[:space:]]+([0-9]+).*/\1/' <<<"$summary")
  skipped=$(sed -E 's/.*Skipped:[[:space:]]+([0-9]+).*/\1/' <<<"$summary")
  echo "tests: $passed passed, $failed failed, $skipped skipped"
fi
exit "$status"
