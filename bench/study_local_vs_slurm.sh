#!/usr/bin/env bash
# A 3-method x 2-seed study's wall time on the local backend (one run after another, all
# cores) and on a single-node Slurm cluster with 2 one-core slots (scripts/slurm_local_cluster.sh;
# root), submission to table.md, and their ratio.
#   bash bench/study_local_vs_slurm.sh build/app/fewdata-cli [compare flags...]
set -euo pipefail
cli=$(realpath "$1")
shift
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'bash "$root/scripts/slurm_local_cluster.sh" stop "$work/cluster" >/dev/null; rm -rf "$work"' EXIT
flags=(--methods baseline,mixup,cutmix --seeds 2 --per-class 50 --epochs 3 --max-test 1000 "$@")
eval "$(bash "$root/scripts/slurm_local_cluster.sh" start "$work/cluster" 2)"

t0=$(date +%s.%N)
"$cli" compare "${flags[@]}" --threads "$(nproc)" --out "$work/local" >/dev/null
t1=$(date +%s.%N)
"$cli" compare "${flags[@]}" --out "$work/slurm" --backend slurm --cpus-per-task 1 >/dev/null
while [ ! -f "$work/slurm/table.md" ]; do sleep 0.5; done
t2=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
  printf "study methods=3 seeds=2 local_s=%.1f slurm_2x1core_s=%.1f ratio=%.2f\n", b - a, c - b, (c - b) / (b - a)}'
