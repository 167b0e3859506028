#!/usr/bin/env bash
# Fuzzes every @FuzzTest target in turn, each for FUZZ_DURATION (default 2m). Jazzer fuzzes one target per
# JVM, hence one Maven run per target (profile "fuzz" in the root pom). A finding fails that run and is written
# as crash-<sha1> into the target's inputs directory under src/test/resources, which the next plain
# `mvn verify` runs as a regression input. The corpus the fuzzer grows is kept in <module>/.cifuzz-corpus/
# (ignored by git) and reused by the next run.
#
#   ./fuzz.sh                          every target, 2 minutes each
#   FUZZ_DURATION=30s ./fuzz.sh Bill   only targets whose Class#method contains "Bill"
set -uo pipefail
cd "$(dirname "$0")"
duration="${FUZZ_DURATION:-2m}"
filter="${1:-}"
found=()
for file in $(grep -rl --include='*FuzzTest.java' '@FuzzTest' -- */src/test/java | sort); do
  module="${file%%/src/test/java/*}"
  class="$(basename "$file" .java)"
  # the method a @FuzzTest annotates (other annotations may stand between them)
  for method in $(awk '/@FuzzTest/ {armed = 1} armed && match($0, /void [A-Za-z0-9_]+\(/) {
                         print substr($0, RSTART + 5, RLENGTH - 6); armed = 0 }' "$file"); do
    target="$class#$method"
    [[ -n "$filter" && "$target" != *"$filter"* ]] && continue
    echo "[fuzz] $module $target for $duration"
    mkdir -p "$module/target"
    # -am builds the modules it depends on from this tree (no `mvn install` needed); their tests do not match
    if ! mvn -B -o -Pfuzz -Dfuzz.duration="$duration" -pl "$module" -am test -Dtest="$target" \
        -Dsurefire.failIfNoSpecifiedTests=false > "$module/target/fuzz-$class-$method.log" 2>&1; then
      found+=("$target (log: $module/target/fuzz-$class-$method.log)")
      echo "[fuzz] finding or failure in $target: see $module/target/fuzz-$class-$method.log"
    fi
    grep -h 'Done [0-9]* runs' "$module/target/fuzz-$class-$method.log" | tail -n 1 | sed 's/^/[fuzz]   /'
  done
done
if ((${#found[@]})); then
  printf '[fuzz] %s\n' "failed:" "${found[@]}"
  exit 1
fi
echo "[fuzz] no finding"
