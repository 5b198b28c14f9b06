#!/usr/bin/env python3
"""What a careful PyTorch user would run: torchvision's ResNet, SGD (lr 0.1, momentum 0.9,
wd 1e-4), synthetic data, with bf16 autocast and channels_last, eagerly or with the whole step
captured in one CUDA graph (torch.cuda.graph). The engine's train-step is set beside it.

Usage: ref_torch_variants.py ARCH SIZE BATCH STEPS MODE [DEVICE] [THREADS]
  MODE: eager | graph, each with bf16 + channels_last (graph: CUDA only)
Prints one line: 'ref ARCH size=S batch=B mode=M imgs_per_s=X'."""
import sys
import time

import torch
import torchvision

arch, size, batch, steps, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
device = sys.argv[6] if len(sys.argv) > 6 else "cuda"
torch.set_num_threads(int(sys.argv[7]) if len(sys.argv) > 7 else 2)
torch.manual_seed(0)
torch.backends.cudnn.benchmark = True
model = getattr(torchvision.models, arch)(num_classes=10).to(device).to(memory_format=torch.channels_last)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
x = torch.randn(batch, 3, size, size, device=device).contiguous(memory_format=torch.channels_last)
y = torch.randint(0, 10, (batch,), device=device)
dtype = torch.bfloat16


def forward_backward():
    # cache_enabled=False: a graph must not keep autocast's cast copies across replays
    with torch.autocast(device_type=device, dtype=dtype, cache_enabled=(mode != "graph")):
        loss = torch.nn.functional.cross_entropy(model(x), y)
    loss.backward()
    opt.step()


def step():
    opt.zero_grad(set_to_none=True)
    forward_backward()


def sync():
    if device == "cuda":
        torch.cuda.synchronize()


if mode == "graph":
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(3):
            step()
    torch.cuda.current_stream().wait_stream(side)
    graph = torch.cuda.CUDAGraph()
    opt.zero_grad(set_to_none=True)
    with torch.cuda.graph(graph):
        forward_backward()
    run = graph.replay
else:
    run = step
for _ in range(3):
    run()
sync()
t0 = time.perf_counter()
for _ in range(steps):
    run()
sync()
dt = time.perf_counter() - t0
print(f"ref {arch} size={size} batch={batch} mode={mode} imgs_per_s={steps * batch / dt:.1f}")
