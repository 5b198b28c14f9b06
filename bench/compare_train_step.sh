#!/usr/bin/env bash
# Runs fewdata-bench train-step (the engine's settings, and --plain: the reference's NCHW fp32
# step) and the torchvision reference (bench/ref_torchvision_train.py; FEWDATA_REF_SCRIPT
# overrides) alternately in one command, on the same machine, and prints the median of each and
# the ratios (machines here are noisy).
# usage: bench/compare_train_step.sh ARCH SIZE BATCH [STEPS] [THREADS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
arch=${1:-resnet18} size=${2:-32} batch=${3:-64} steps=${4:-10} threads=${5:-2} rounds=${6:-5}
ref=${FEWDATA_REF_SCRIPT:-bench/ref_torchvision_train.py}
bench=${FEWDATA_BENCH:-build/bench/fewdata-bench}
ours=() plain=() theirs=()
rate() { sed -n 's/.*imgs_per_s=//p'; }
for _ in $(seq "$rounds"); do
  args=(train-step --arch "$arch" --size "$size" --batch "$batch" --steps "$steps" --threads "$threads")
  ours+=("$("$bench" "${args[@]}" | rate)")
  plain+=("$("$bench" "${args[@]}" --plain | rate)")
  theirs+=("$(/usr/bin/python3 "$ref" "$arch" "$size" "$batch" "$steps" "$threads" | rate)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m1=$(median "${ours[@]}") m2=$(median "${plain[@]}") m3=$(median "${theirs[@]}")
echo "fewdata       $arch size=$size batch=$batch threads=$threads imgs_per_s: ${ours[*]} (median $m1)"
echo "fewdata plain $arch size=$size batch=$batch threads=$threads imgs_per_s: ${plain[*]} (median $m2)"
echo "torchvision   $arch size=$size batch=$batch threads=$threads imgs_per_s: ${theirs[*]} (median $m3)"
awk -v a="$m1" -v b="$m2" -v c="$m3" \
  'BEGIN {printf "ratio fewdata/torchvision = %.3f, fewdata plain/torchvision = %.3f\n", a / c, b / c}'
