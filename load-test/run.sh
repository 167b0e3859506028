#!/usr/bin/env bash
# Builds what the load tool needs and runs the H2 and the PostgreSQL scenario against payment-service, started
# from its jar in demo mode (embedded sandbox as gateway), then prints a markdown table.
#   load-test/run.sh                       # both scenarios, default sizes
#   load-test/run.sh --db h2 --creates 2000  # any option of the tool (java -jar load-test/target/load-test.jar --help)
# PostgreSQL: 127.0.0.1:5432, user postgres, trust auth; a fresh database per run (skipped when unreachable).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! mvn -B -o -q -pl load-test -am -DskipTests package; then
  mvn -B -q -pl load-test -am -DskipTests package   # first run: fetch what is missing
fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(uname -sr); load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
exec java -jar load-test/target/load-test.jar --jar payment-service/target/payment-service.jar "$@"
