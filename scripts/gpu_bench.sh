#!/usr/bin/env bash
# A CUDA machine in one call (docs/gpu.md): builds the training core, the CLI and the
# benchmarks against the LibTorch inside that machine's PyTorch (no Qt, no OpenCV needed), runs
# the CUDA checks, then fewdata-bench beside the PyTorch references
# (bench/ref_torchvision_train.py, bench/ref_torch_variants.py) at each size, and prints ratios.
#
#   bash scripts/gpu_bench.sh --prepare   # here: copies what the machine lacks (nlohmann/json,
#                                          # CLI11, Boost.Math's Student t, Fashion-MNIST) into
#                                          # third_party_carry/
#                                          # (ignored by git)
#   then on the CUDA machine, in a copy of the checkout that includes third_party_carry/:
#   bash scripts/gpu_bench.sh              # (the device tool: carry ["third_party_carry"])
#   FEWDATA_GPU_DRY=1 bash scripts/gpu_bench.sh  # the same steps on this CPU, tiny sizes
set -euo pipefail
cd "$(dirname "$0")/.."
carry=third_party_carry
if [ "${1:-}" = --prepare ]; then
  rm -rf "$carry" && mkdir -p "$carry/include" "$carry/fashion-mnist"
  cp -r /usr/include/nlohmann /usr/include/CLI "$carry/include/"
  # Boost.Math for results/significance.cpp: the headers its Student t includes (4 MB of the
  # 150 MB tree), and all of boost/config, whose choice of headers depends on the compiler.
  echo '#include <boost/math/distributions/students_t.hpp>' | g++ -std=c++17 -x c++ -M - |
    tr ' \\' '\n\n' | grep '^/usr/include/boost/' | sort -u | while read -r h; do
      mkdir -p "$carry/include/$(dirname "${h#/usr/include/}")"
      cp "$h" "$carry/include/${h#/usr/include/}"
    done
  cp -r /usr/include/boost/config "$carry/include/boost/"
  cp /usr/share/datasets/fashion-mnist/*.gz "$carry/fashion-mnist/"
  du -sh "$carry"
  exit 0
fi
[ -d "$carry/include/CLI" ] || { echo "run 'bash scripts/gpu_bench.sh --prepare' here first" >&2; exit 2; }
out=${OUT:-/tmp/fewdata-gpu-out}
mkdir -p "$out"
dry=${FEWDATA_GPU_DRY:-0}
device=cuda
build=build-gpu
[ "$dry" = 1 ] && device=cpu && build=build-gpu-dry

start=$SECONDS
prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
echo "torch $(python3 -c 'import torch; print(torch.__version__)')"
if ! cmake -S . -B "$build" -G Ninja -DFEWDATA_CORE_ONLY=ON -DCMAKE_BUILD_TYPE=Release \
     -DCMAKE_PREFIX_PATH="$prefix" -DFEWDATA_THIRD_PARTY_INCLUDE="$PWD/$carry/include" \
     >"$out/configure.log" 2>&1; then
  tail -40 "$out/configure.log"; exit 1
fi
if ! cmake --build "$build" -j "$(nproc)" --target fewdata-bench fewdata-cuda-checks fewdata-cli \
     >"$out/build.log" 2>&1; then
  grep -m 30 -E "error|Error" "$out/build.log" || tail -40 "$out/build.log"; exit 1
fi
echo "build: $((SECONDS - start)) s"
bench=$build/bench/fewdata-bench
export FEWDATA_FASHION_MNIST_DIR=$PWD/$carry/fashion-mnist
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,clocks.max.sm --format=csv,noheader

echo "== CUDA checks"
timeout 180 "$build/bench/fewdata-cuda-checks" | tee "$out/cuda_checks.txt" || echo "cuda checks: exit $?"

echo "== train step, images/s (each line: ours, then the references, in this one call)"
rate() { sed -n 's/.*imgs_per_s=\([0-9.]*\).*/\1/p'; }
# One failing measurement (a capture that throws, a reference that dies) prints 0 and the rest
# goes on: the call is the session's only one on that machine.
measure() { local r; r=$(timeout 150 "$@" 2>>"$out/errors.log" | rate || true); echo "${r:-0}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }
if [ "$dry" = 1 ]; then shapes=("resnet18 32 16 3"); else
  shapes=("resnet18 32 512 300" "resnet50 64 512 100" "resnet50 224 256 30"); fi
for shape in "${shapes[@]}"; do
  set -- $shape
  arch=$1 size=$2 batch=$3 steps=$4
  plain=$(measure python3 bench/ref_torchvision_train.py "$arch" "$size" "$batch" "$steps" 16 "$device")
  ref_eager=$(measure python3 bench/ref_torch_variants.py "$arch" "$size" "$batch" "$steps" eager "$device" 16)
  ours_eager=$(measure "$bench" train-step --device "$device" --arch "$arch" --size "$size" --batch "$batch" --steps "$steps")
  ref_graph=0 ours_graph=0
  if [ "$device" = cuda ]; then
    ref_graph=$(measure python3 bench/ref_torch_variants.py "$arch" "$size" "$batch" "$steps" graph cuda)
    ours_graph=$(measure "$bench" train-step --device cuda --graph --arch "$arch" --size "$size" --batch "$batch" --steps "$steps")
  fi
  best_ref=$(printf '%s\n' "$plain" "$ref_eager" "$ref_graph" | sort -g | tail -1)
  best_ours=$(printf '%s\n' "$ours_eager" "$ours_graph" | sort -g | tail -1)
  line="$arch ${size}px batch $batch: torchvision fp32 $plain, torch bf16+CL eager $ref_eager, graph $ref_graph;"
  line+=" fewdata bf16+CL eager $ours_eager, graph $ours_graph; eager/eager $(ratio "$ours_eager" "$ref_eager"),"
  line+=" graph/graph $(ratio "$ours_graph" "$ref_graph"), best/best $(ratio "$best_ours" "$best_ref")"
  echo "$line" | tee -a "$out/train_step.txt"
  if [ "$size" = 224 ]; then
    # ResNet-50 training: about 24.6 GFLOP per 224 px image; H100 and H200: 989 dense bf16 TFLOP/s.
    awk -v r="$best_ours" 'BEGIN { printf "fraction of the bf16 peak at 224 px: %.1f %%\n", 100 * r * 24.6e9 / 989e12 }' | tee -a "$out/train_step.txt"
  fi
done

echo "== epoch through the real pipeline (Fashion-MNIST, mixup), beside the step of its shape"
if [ "$dry" = 1 ]; then ep="--per-class 20 --epochs 2 --batch 16"; else ep="--per-class 500 --epochs 4 --batch 256"; fi
for p in true false; do
  timeout 150 "$bench" epoch --device "$device" --method mixup $ep --prefetch "$p" | tee -a "$out/epoch.txt" || echo "epoch: exit $?"
done
[ -s "$out/errors.log" ] && { echo "== errors"; tail -30 "$out/errors.log"; }
echo "total: $((SECONDS - start)) s"
