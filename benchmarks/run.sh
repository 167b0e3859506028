#!/usr/bin/env bash
# Benchmarks of alipay-client against the official SDK 4.38.192.ALL, plain JCA and openssl (issue 2).
#
#   benchmarks/run.sh                 # full suite, ~16 minutes on 2 cores
#   benchmarks/run.sh 'PagePay'       # only benchmarks matching a JMH regexp
#   JMH_OPTS='-f 1 -wi 1 -w 1s -i 1 -r 1s' benchmarks/run.sh   # smoke run
#
# Steps: build target/benchmarks.jar if it is missing or older than the sources; openssl speed rsa2048
# (1 process and -multi 2) as the native limit; the JMH suite; openssl again (to see drift on a noisy box);
# then a markdown report with the ratios against the goals, on stdout and in target/results/results.md.
# Everything runs on this machine; the round-trip server listens on 127.0.0.1 only.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
JAR="$HERE/target/benchmarks.jar"
OUT="${OUT:-$HERE/target/results}"
JMH_OPTS="${JMH_OPTS:--f 1 -wi 2 -w 5s -i 3 -r 5s -jvmArgsAppend -Xms1g -jvmArgsAppend -Xmx1g}"
OPENSSL_SECONDS="${OPENSSL_SECONDS:-5}"
FILTER="${1:-}"
MVN_FLAGS="${MVN_FLAGS:--o}"

build() {
  (cd "$ROOT" && mvn -B -q $MVN_FLAGS -pl alipay-client,wechatpay-client,benchmarks -am package -DskipTests)
}

# the jar shades the clients, the sandbox and the vectors of test-fixtures: rebuild when those changed too
if [[ ! -f "$JAR" ]] || [[ -n "$(find "$HERE/src" "$HERE/pom.xml" "$ROOT/alipay-client/src/main" "$ROOT/wechatpay-client/src/main" "$ROOT/alipay-sandbox/src/main" "$ROOT/test-fixtures/src/main" -newer "$JAR" -print -quit)" ]]; then
  echo ">> building $JAR" >&2
  if ! build; then
    echo ">> build failed; installing test-fixtures and alipay-client into the local repository once, then retrying" >&2
    (cd "$ROOT" && mvn -B -q $MVN_FLAGS install -pl test-fixtures,alipay-client -DskipTests)
    build
  fi
fi

mkdir -p "$OUT"
speed() { # $1 = output file, rest = extra openssl args
  local file="$1"; shift
  openssl speed -seconds "$OPENSSL_SECONDS" "$@" rsa2048 >"$file" 2>&1
  grep -E '^rsa +2048' "$file" | tail -1 | sed "s|^|   $(basename "$file"): |" >&2
}

echo ">> openssl speed rsa2048 (native limit), before JMH" >&2
speed "$OUT/openssl-1.txt"
speed "$OUT/openssl-2.txt" -multi 2

echo ">> JMH: $JMH_OPTS ${FILTER:+(filter: $FILTER)}" >&2
# shellcheck disable=SC2086
java -jar "$JAR" $JMH_OPTS -rf json -rff "$OUT/jmh.json" ${FILTER:+"$FILTER"} | tee "$OUT/jmh.log"

echo ">> openssl speed rsa2048, after JMH" >&2
speed "$OUT/openssl-1-after.txt"
speed "$OUT/openssl-2-after.txt" -multi 2

{
  echo "## Run"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(free -g | awk '/^Mem:/ {print $2 " GiB RAM"}'), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- JDK: $(java -version 2>&1 | head -2 | tail -1)"
  echo "- openssl: $(openssl version)"
  echo "- JMH options: \`$JMH_OPTS\`${FILTER:+, filter \`$FILTER\`}"
  echo
  java -cp "$JAR" dev.zhifu.benchmarks.Report "$OUT/jmh.json" \
      "$OUT/openssl-1.txt" "$OUT/openssl-2.txt" "$OUT/openssl-1-after.txt" "$OUT/openssl-2-after.txt"
} >"$OUT/results.md"

cat "$OUT/results.md"
echo ">> written: $OUT/results.md (raw: jmh.json, jmh.log, openssl-*.txt)" >&2
