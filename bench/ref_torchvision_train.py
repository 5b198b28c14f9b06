#!/usr/bin/env python3
"""The plain PyTorch baseline for `fewdata-bench train-step`: torchvision's ResNet trained with
SGD (lr 0.1, momentum 0.9, weight decay 1e-4) and cross-entropy, one step after another on a
single random batch that never changes, in fp32, NCHW and eagerly: no autocast, no
channels_last, no graphs (bench/ref_torch_variants.py has those). `fewdata-bench train-step
--plain` takes exactly this step, so the two rates set the engine's C++ beside Python's.

Usage: ref_torchvision_train.py ARCH SIZE BATCH STEPS [THREADS] [DEVICE]
  ARCH: resnet18 | resnet34 | resnet50; THREADS: CPU threads (default 2); DEVICE: cpu (default)
  or cuda
Prints one line: 'ref ARCH size=S batch=B imgs_per_s=X' (bench/compare_train_step.sh and
scripts/gpu_bench.sh read the number after imgs_per_s=, the last field)."""
import argparse
import time

import torch
import torchvision

CLASSES = 10  # fewdata-bench train-step's default --classes
WARMUP_STEPS = 2  # untimed: the first steps allocate and pick kernels


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("arch", choices=["resnet18", "resnet34", "resnet50"])
    p.add_argument("size", type=int, help="input side in pixels")
    p.add_argument("batch", type=int, help="images per step")
    p.add_argument("steps", type=int, help="timed steps")
    p.add_argument("threads", type=int, nargs="?", default=2, help="CPU threads (default 2)")
    p.add_argument("device", nargs="?", default="cpu", help="cpu (default) or cuda")
    args = p.parse_args()
    if min(args.size, args.batch, args.steps, args.threads) < 1:
        p.error("SIZE, BATCH, STEPS and THREADS must be positive")
    return args


def main():
    args = parse_args()
    device = torch.device(args.device)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    net = getattr(torchvision.models, args.arch)(num_classes=CLASSES).to(device)
    net.train()
    sgd = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    images = torch.randn(args.batch, 3, args.size, args.size, device=device)
    targets = torch.randint(0, CLASSES, (args.batch,), device=device)

    def train_step():
        sgd.zero_grad(set_to_none=True)
        torch.nn.functional.cross_entropy(net(images), targets).backward()
        sgd.step()

    def wait_for_device():
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    for _ in range(WARMUP_STEPS):
        train_step()
    wait_for_device()
    start = time.perf_counter()
    for _ in range(args.steps):
        train_step()
    wait_for_device()
    seconds = time.perf_counter() - start
    rate = args.steps * args.batch / seconds
    print(f"ref {args.arch} size={args.size} batch={args.batch} imgs_per_s={rate:.1f}")


if __name__ == "__main__":
    main()
