#!/usr/bin/env bash
# Issue #7's decoding benchmark: `vmstate dump` against QEMU's scripts/analyze-migration.py on
# one real QEMU 7.2 stream with 1 GiB of random RAM, in the same run.
#
#   ANALYZER=/path/to/analyze-migration.py benchmarks/qemu/dump-vs-analyzer.sh [WORKDIR]
#
# Needs: qemu-system-x86_64 and socat (Debian: qemu-system-x86 socat), python3, and the
# project built (mvn -B -ntp package -DskipTests). The analyzer is not in any Debian package:
# take scripts/analyze-migration.py from QEMU's source (v7.2.0: md5 85d0c411381cff3e0d4e966f28b3811c).
# The stream is made as ../shared/qemu-streams/make-streams.sh makes its 16 MiB "randram"
# variant: guest RAM is a memory-backend-file filled from /dev/urandom, QEMU paused (-S), so
# every page of it goes out as a full 4 KiB page. It is kept in WORKDIR for later runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=${1:-/tmp/vmstate-dump-bench}
: "${ANALYZER:?set ANALYZER to the path of scripts/analyze-migration.py from QEMU}"
JAR=$ROOT/cli/target/vmstate.jar
BENCH=$ROOT/benchmarks/target/benchmarks.jar
for f in "$JAR" "$BENCH"; do [ -f "$f" ] || { echo "missing $f: run mvn -B -ntp package -DskipTests" >&2; exit 2; }; done
mkdir -p "$WORK"
MIG=$WORK/rand1g.mig

qmp() {
  {
    printf '{"execute":"qmp_capabilities"}\n'
    for c in "$@"; do printf '%s\n' "$c"; done
    sleep 0.5
  } | socat -t 2 - UNIX-CONNECT:"$WORK/qmp.sock" | grep -v '"QMP"' || true
}

if [ ! -s "$MIG" ]; then
  echo "== making $MIG (1 GiB of random guest RAM)"
  head -c 1G /dev/urandom > "$WORK/ram.img"
  rm -f "$WORK/qmp.sock"
  qemu-system-x86_64 -M pc-i440fx-7.2,memory-backend=m0 -m 1024 -nodefaults -display none -accel tcg \
      -rtc base=2023-01-01T00:00:00 -S \
      -object memory-backend-file,id=m0,size=1G,mem-path="$WORK/ram.img",share=on \
      -qmp "unix:$WORK/qmp.sock,server=on,wait=off" </dev/null >"$WORK/qemu.log" 2>&1 &
  QPID=$!
  for _ in $(seq 1 100); do [ -S "$WORK/qmp.sock" ] && break; sleep 0.1; done
  # no bandwidth limit: the default would take minutes for 1 GiB
  qmp '{"execute":"migrate-set-parameters","arguments":{"max-bandwidth":10737418240}}' \
      "{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"exec:cat > $MIG\"}}" >/dev/null
  for _ in $(seq 1 600); do
    qmp '{"execute":"query-migrate"}' | grep -q '"status": "completed"' && break
    sleep 0.5
  done
  qmp '{"execute":"quit"}' >/dev/null; wait "$QPID" || true
  rm -f "$WORK/ram.img"
fi
SIZE=$(stat -c %s "$MIG")
cat "$MIG" > /dev/null   # page cache: every contender reads a cached file
echo "== stream: $MIG, $SIZE bytes; machine: $(nproc) cores, $(java -version 2>&1 | head -1)"

best() { # best of 3 wall-clock seconds of a command
  local b=
  for _ in 1 2 3; do
    local s e
    s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N)
    b=$(awk -v b="$b" -v t="$(awk -v s="$s" -v e="$e" 'BEGIN{print e-s}')" 'BEGIN{print (b==""||t<b)?t:b}')
  done
  echo "$b"
}
A=$(best python3 "$ANALYZER" -f "$MIG")
J=$(best java -Xmx256m -jar "$JAR" dump "$MIG" --json)
D=$(best java -Xmx256m -jar "$JAR" dump "$MIG" --ram=digest)
echo "whole process, best of 3:"
awk -v a="$A" -v j="$J" -v d="$D" -v n="$SIZE" 'BEGIN{
  printf "  analyze-migration.py -f          %.2f s  %.2f GB/s\n", a, n/a/1e9;
  printf "  vmstate dump --json (-Xmx256m)    %.2f s  %.2f GB/s  %.2fx the analyzer\n", j, n/j/1e9, a/j;
  printf "  vmstate dump --ram=digest         %.2f s  %.2f GB/s\n", d, n/d/1e9 }'

echo "in-process (JMH, no JVM start, -Xmx256m):"
java -jar "$BENCH" QemuDumpBenchmark -p file="$MIG" -rf csv -rff "$WORK/jmh.csv" > "$WORK/jmh.log" 2>&1 \
  || { tail -20 "$WORK/jmh.log" >&2; exit 1; }
grep -E '^Benchmark|^QemuDump' "$WORK/jmh.log" | sed 's/^/  /'
awk -F, -v a="$A" -v n="$SIZE" 'NR>1 { gsub(/"/,""); ms=$5; mode=$NF;
  printf "  %-8s %.0f ms  %.2f GB/s  %.1fx the analyzer\n", mode, ms, n/(ms/1000)/1e9, a/(ms/1000) }' "$WORK/jmh.csv"
