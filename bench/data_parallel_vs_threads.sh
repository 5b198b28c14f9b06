#!/usr/bin/env bash
# One run on 2 ranks x 1 thread (train --nproc 2) against one process with 2 threads, the same
# run otherwise, alternating for ROUNDS rounds on this machine: training images per second of
# each (from metrics.jsonl, evaluation aside), the seconds of the final test evaluation (the
# run's seconds after its last epoch's line; MAX_TEST test images, default 200) and their ratios.
#   [MAX_TEST=N] bash bench/data_parallel_vs_threads.sh build/app/fewdata-cli [ROUNDS] [train flags...]
set -euo pipefail
cli=$(realpath "$1")
rounds=${2:-2}
shift 2 || shift $#
flags=(--per-class 50 --epochs 3 --max-test "${MAX_TEST:-200}" --seed 0 "$@")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rate() {  # mean images/s over the epochs of a run folder
  awk -F'"images_per_second":' 'NF > 1 {split($2, a, /[,}]/); s += a[1]; n++} END {printf "%.1f", s / n}' "$1/metrics.jsonl"
}
test_seconds() {  # the run's seconds less its epochs': the final test evaluation, mostly
  awk -F'"seconds":' 'NF > 1 {split($2, a, /[,}]/); s += a[1]} END {printf "%.2f", s}' "$1/metrics.jsonl" |
    awk -v total="$(grep -o '"seconds": *[0-9.e+-]*' "$1/result.json" | head -1 | sed 's/.*: *//')" \
      '{printf "%.2f", total - $1}'
}
rows=""
for r in $(seq "$rounds"); do
  "$cli" train "${flags[@]}" --threads 1 --nproc 2 --out "$work/ranks$r" >/dev/null
  "$cli" train "${flags[@]}" --threads 2 --out "$work/threads$r" >/dev/null
  a=$(rate "$work/ranks$r")
  b=$(rate "$work/threads$r")
  ta=$(test_seconds "$work/ranks$r")
  tb=$(test_seconds "$work/threads$r")
  echo "round $r: 2 ranks x 1 thread $a images/s, test ${ta} s; 1 process x 2 threads $b images/s, test ${tb} s"
  rows="$rows$a $b $ta $tb\n"
done
printf "$rows" | awk -v rounds="$rounds" '{a += $1; b += $2; ta += $3; tb += $4} END {
  printf "data_parallel ranks=2x1 threads=1x2 rounds=%d ranks_imgs_per_s=%.1f threads_imgs_per_s=%.1f ratio=%.2f ranks_test_s=%.2f threads_test_s=%.2f test_ratio=%.2f\n",
         rounds, a / rounds, b / rounds, a / b, ta / rounds, tb / rounds, ta / tb}'
