#!/bin/sh
# Initrd composition benchmark: 40 MB and 1 GB initrds through microcode-prepend + overlay (+ sha256,
# written into a store temp file), compared with `cat` of the same bytes in the same run.
# Targets: throughput >= 0.8x cat, peak RSS < 100 MB at 1 GB. Each size runs in its own process.
set -eu
cd "$(dirname "$0")/.."
for size in ${BENCH_SIZES:-40 1024}; do
  npx tsx bench/initrd-bench.ts "$size"
done
