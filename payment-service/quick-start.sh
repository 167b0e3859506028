#!/usr/bin/env bash
# Starts payment-service in well under half the time `java -jar payment-service.jar` takes (figures in
# BENCHMARKS.md), with the same arguments:
#   payment-service/quick-start.sh                       # the demo
#   payment-service/quick-start.sh --server.port=9090    # any setting, as with java -jar
# How: the jar extracted once (a plain class path instead of nested jars), an AppCDS archive of the classes a
# start loads (made once by a training start that stops after the context is refreshed), and the JIT held at
# C1 (start-up compiles thousands of methods; the optimising C2 compiler would take a core from the start).
# C1 lowers peak throughput: for production keep C2 with QUICK_START_C2=1 (the archive alone still helps).
# Both are made again when the jar is newer than them (one start prepares at a time: flock). JAVA_OPTS are
# passed to the JVM.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=${QUICK_START_JAR:-$here/target/payment-service.jar}
dir=${QUICK_START_DIR:-$here/target/quick-start}
# absolute, since the training start runs in a scratch directory of its own
case $jar in /*) ;; *) jar="$PWD/$jar" ;; esac
case $dir in /*) ;; *) dir="$PWD/$dir" ;; esac
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
app="$dir/$(basename "$jar")" # extract keeps the jar's own file name

if [ ! -f "$jar" ]; then
  echo "quick-start: $jar not found; build it first: mvn -B -DskipTests package" >&2
  exit 2
fi
# "prepared" is touched when a preparation ends, with or without an archive: a failed training is not retried
# on every start, only after the next build of the jar
needs_preparing() { [ ! -f "$dir/prepared" ] || [ "$jar" -nt "$dir/prepared" ]; }
if needs_preparing; then
  # two starts at once (two instances of a cluster demo) must not prepare the same directory together
  mkdir -p "$(dirname "$dir")"
  exec 9>"$dir.lock"
  if command -v flock >/dev/null; then # util-linux; absent on macOS, where concurrent first starts may clash
    flock 9
  fi
fi
if needs_preparing; then
  echo "quick-start: preparing $dir (once per build of the jar, about 10 s)" >&2
  rm -rf "$dir"
  "$java" -Djarmode=tools -jar "$jar" extract --destination "$dir" >/dev/null
  training=$(mktemp -d)
  # Native RSA is kept out of the training start only, for both clients (the embedded sandbox signs WeChat Pay
  # answers with wechatpay-client): JDK 17 crashes archiving lambdas of a signed jar's classes (ACCP's). The
  # archived start uses it as usual.
  # run in the scratch directory, so that a crash report (hs_err_pid*.log) does not land where the user is
  if ! (cd "$training" && "$java" -XX:ArchiveClassesAtExit="$dir/app.jsa" -Dzhifu.alipay.native-rsa=false \
      -Dzhifu.wechatpay.native-rsa=false \
      -Dspring.context.exit=onRefresh -jar "$app" \
      --payments.data-dir="$training" --server.port=0 >"$dir/training.log" 2>&1) || [ ! -f "$dir/app.jsa" ]; then
    echo "quick-start: the training start failed (see $dir/training.log); starting without an archive" >&2
    rm -f "$dir/app.jsa"
  fi
  rm -rf "$training"
  # ACCP's native library, out of its jar once: otherwise every start inflates its 9.6 MB from the signed jar,
  # hashes it to verify the signature and writes it to a temporary file (0.3 s of a 5.5 s start); used below
  # with ACCP's useExternalLib. Only where unzip or the JDK's jar tool is at hand; else ACCP extracts it itself.
  accp_jar=$(find "$dir/lib" -name 'AmazonCorrettoCryptoProvider-*.jar' 2>/dev/null | head -n 1)
  accp_so=com/amazon/corretto/crypto/provider/libamazonCorrettoCryptoProvider.so
  if [ -n "$accp_jar" ]; then
    mkdir -p "$dir/native"
    jar_tool=${JAVA_HOME:+$JAVA_HOME/bin/}jar
    if command -v unzip >/dev/null; then
      unzip -q -o -j "$accp_jar" "$accp_so" -d "$dir/native" 2>/dev/null || true
    elif command -v "$jar_tool" >/dev/null; then
      (cd "$dir/native" && "$jar_tool" xf "$accp_jar" "$accp_so" && mv "$accp_so" . && rm -rf com) 2>/dev/null || true
    fi
  fi
  touch "$dir/prepared"
fi
exec 9>&- 2>/dev/null || true

opts=()
if [ -f "$dir/app.jsa" ]; then
  opts+=("-XX:SharedArchiveFile=$dir/app.jsa")
fi
# ACCP loads the library extracted above with System.loadLibrary instead of from its jar (its own
# useExternalLib setting); the JDK's libraries are found through another path, so nothing else changes
if [ -f "$dir/native/libamazonCorrettoCryptoProvider.so" ]; then
  opts+=("-Djava.library.path=$dir/native" "-Dcom.amazon.corretto.crypto.provider.useExternalLib=true")
fi
if [ -z "${QUICK_START_C2:-}" ]; then
  opts+=("-XX:TieredStopAtLevel=1")
fi
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec "$java" "${opts[@]}" ${JAVA_OPTS:-} -jar "$app" "$@"
