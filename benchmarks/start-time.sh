#!/usr/bin/env bash
# Start-up time of the demo through payment-service/quick-start.sh (BENCHMARKS.md, "Start-up"): for each jar given,
# one preparing first start, then ROUNDS second starts, the jars alternating so that a change in the machine's load
# falls on all of them. Each start is timed from launch to the first 200 of GET /actuator/health; CPU is the
# utime + stime of the service's process at that moment (/proc/<pid>/stat). Medians at the end.
#
#   benchmarks/start-time.sh payment-service/target/payment-service.jar            # 5 rounds
#   ROUNDS=8 benchmarks/start-time.sh /tmp/before.jar /tmp/after.jar              # A/B of two builds
#   EXTRA="--spring.main.lazy-initialization=true" benchmarks/start-time.sh JAR    # a setting under test
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${ROUNDS:-5}"
PORT="${PORT:-18400}"
WORK="${WORK:-$(mktemp -d /tmp/start-time.XXXXXX)}"
[ $# -ge 1 ] || { echo "usage: $0 JAR [JAR...]" >&2; exit 2; }
jars=()
for jar in "$@"; do
  [ -f "$jar" ] || { echo "start-time: $jar not found (build it: mvn -B -DskipTests package)" >&2; exit 2; }
  jars+=("$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")") # each start runs in a directory of its own
done
set -- "${jars[@]}"

start_once() { # $1 = jar index, $2 = jar; prints "wall cpu"
  local dir="$WORK/$1" t0 pid wall s
  mkdir -p "$dir/data"
  t0=$(date +%s.%N)
  # quick-start.sh execs java at its end, so $! is the service's process once it runs
  env -C "$dir" QUICK_START_JAR="$2" QUICK_START_DIR="$dir/prepared" "$ROOT/payment-service/quick-start.sh" \
    --server.port="$PORT" --payments.data-dir="$dir/data" ${EXTRA:-} >"$dir/start.log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$PORT/actuator/health"; do
    kill -0 "$pid" 2>/dev/null || { echo "start-time: the service stopped; see $dir/start.log" >&2; exit 1; }
    sleep 0.02
  done
  wall=$(echo "$(date +%s.%N) - $t0" | bc)
  s=($(cut -d' ' -f14,15 "/proc/$pid/stat"))
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  echo "$wall $(echo "scale=2; (${s[0]} + ${s[1]}) / $(getconf CLK_TCK)" | bc)"
}

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
i=0
for jar in "$@"; do
  i=$((i + 1))
  echo "jar $i first start (prepares): $(start_once "$i" "$jar") (wall s, CPU s)   $jar"
done
for round in $(seq "$ROUNDS"); do
  i=0
  for jar in "$@"; do
    i=$((i + 1))
    r=$(start_once "$i" "$jar")
    echo "$r" >>"$WORK/$i.results"
    echo "round $round jar $i: $r"
  done
done
i=0
for jar in "$@"; do
  i=$((i + 1))
  echo "jar $i: median wall $(cut -d' ' -f1 "$WORK/$i.results" | median) s, median CPU $(cut -d' ' -f2 "$WORK/$i.results" | median) s   $jar"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
