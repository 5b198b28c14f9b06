// The speed settings of a training step: memory layout, reduced precision, cuDNN autotuning
// and pinned host memory. Kept apart from what a method computes, so the same step runs with
// and without them, and a test can compare the two loss curves.
#pragma once

#include <torch/torch.h>

#include <string>

namespace fewdata {

// channels_last (NHWC) convolutions: about 1.1x for ResNets on this machine's CPU, and what
// cuDNN's fastest bf16 kernels want on a GPU.
void toChannelsLast(torch::nn::Module& module);
// A batch in the layout the network runs in: channels_last for 4-D input when `on`.
torch::Tensor inLayout(const torch::Tensor& batch, bool on);

// The precision a run computes in: "fp32", or "bf16" (autocast: matrix products and
// convolutions in bfloat16, reductions and the loss in float). "auto" is bf16 on a CUDA device
// that supports it and fp32 everywhere else: LibTorch 1.13's CPU bf16 gave nothing reliable.
std::string resolvePrecision(const std::string& requested, const torch::Device& device);
bool bf16Supported(const torch::Device& device);

// Autocast to bfloat16 on `device` for the scope's lifetime when `on`; restores the previous
// state (and drops the cast-weight cache) after.
class AutocastScope {
public:
    AutocastScope(const torch::Device& device, bool on);
    ~AutocastScope();
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

private:
    bool active_ = false;
    bool cuda_ = false;
    bool previous_ = false;
    at::ScalarType previousDtype_ = at::kFloat;
};

// Per-process CUDA settings: cuDNN autotuning (shapes are static in a run). No-op on the CPU.
void configureDevice(const torch::Device& device);

// Host tensors to copy to `device`: pinned (page-locked) so the copy can be non-blocking.
torch::Tensor pinnedFor(const torch::Tensor& host, const torch::Device& device);

// Whether this build was linked against a CUDA LibTorch (CUDA graphs need it).
bool builtWithCuda();

}  // namespace fewdata
