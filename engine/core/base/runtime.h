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

// Sets the compute threads for a scope and restores them after. Products of a few hundred
// rows (Reptile's tasks, the Siamese MLPs) ran eight times slower on two threads than on one
// here while another process used the machine: the threads spent their time handing over.
class ScopedThreadCount {
public:
    explicit ScopedThreadCount(int threads);
    ~ScopedThreadCount();
    ScopedThreadCount(const ScopedThreadCount&) = delete;
    ScopedThreadCount& operator=(const ScopedThreadCount&) = delete;

private:
    int previous_;
};

// For a thread beside the training threads (the batch loader): its LibTorch work runs on one
// thread, at a lower priority, so it never takes a core from the training step. Affects the
// calling thread only.
void runAsHelperThread();

std::string describeDevice(const torch::Device& device, int threads);

}  // namespace fewdata
