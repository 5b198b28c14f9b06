// Where a run executes: the device and the CPU thread count.
#pragma once

#include <torch/torch.h>

#include <string>

namespace fewdata {

// "auto" picks CUDA when LibTorch sees a GPU, else the CPU. "cuda" without a GPU is an InputError.
torch::Device resolveDevice(const std::string& name);

// Sets LibTorch's intra-op threads: `requested`, or every core when 0 (LibTorch's own default
// is a single thread on some machines). Returns the count in use.
int applyThreadCount(int requested);

std::string describeDevice(const torch::Device& device, int threads);

}  // namespace fewdata
