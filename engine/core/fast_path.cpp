#include "core/fast_path.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include "core/errors.h"

#ifdef FEWDATA_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#endif

namespace fewdata {

void toChannelsLast(torch::nn::Module& module) {
    torch::NoGradGuard guard;
    // set_data keeps the parameter objects, so an optimiser built before or after sees them.
    for (auto& p : module.parameters())
        if (p.dim() == 4) p.set_data(p.data().contiguous(at::MemoryFormat::ChannelsLast));
    for (auto& b : module.buffers())
        if (b.dim() == 4) b.set_data(b.data().contiguous(at::MemoryFormat::ChannelsLast));
}

torch::Tensor inLayout(const torch::Tensor& batch, bool on) {
    if (!on || batch.dim() != 4) return batch;
    return batch.contiguous(at::MemoryFormat::ChannelsLast);
}

bool bf16Supported(const torch::Device& device) {
    if (!device.is_cuda()) return false;
#ifdef FEWDATA_WITH_CUDA
    // Ampere (compute capability 8) and later compute bf16 in their tensor cores.
    return torch::cuda::is_available() && at::cuda::getCurrentDeviceProperties()->major >= 8;
#else
    return false;
#endif
}

std::string resolvePrecision(const std::string& requested, const torch::Device& device) {
    if (requested == "fp32") return "fp32";
    if (requested == "bf16") {
        if (device.is_cuda() && !bf16Supported(device))
            throw InputError(
                "precision 'bf16' was asked for, but this GPU has no bf16 tensor "
                "cores (compute capability 8.0 or later); use --precision fp32");
        return "bf16";
    }
    if (requested == "auto") return bf16Supported(device) ? "bf16" : "fp32";
    throw InputError("unknown precision '" + requested + "'; allowed: auto, fp32, bf16");
}

AutocastScope::AutocastScope(const torch::Device& device, bool on) {
    if (!on) return;
    active_ = true;
    cuda_ = device.is_cuda();
#if TORCH_VERSION_MAJOR >= 2
    const auto type = cuda_ ? at::kCUDA : at::kCPU;
    previous_ = at::autocast::is_autocast_enabled(type);
    at::autocast::set_autocast_dtype(type, at::kBFloat16);
    at::autocast::set_autocast_enabled(type, true);
#else
    if (cuda_) {
        previous_ = at::autocast::is_enabled();
        at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
        at::autocast::set_enabled(true);
    } else {
        previous_ = at::autocast::is_cpu_enabled();
        at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
        at::autocast::set_cpu_enabled(true);
    }
#endif
}

AutocastScope::~AutocastScope() {
    if (!active_) return;
#if TORCH_VERSION_MAJOR >= 2
    at::autocast::set_autocast_enabled(cuda_ ? at::kCUDA : at::kCPU, previous_);
#else
    if (cuda_)
        at::autocast::set_enabled(previous_);
    else
        at::autocast::set_cpu_enabled(previous_);
#endif
    // The cache of bf16 weight copies belongs to one forward pass: the weights change after it.
    if (!previous_) at::autocast::clear_cache();
}

void configureDevice(const torch::Device& device) {
    if (device.is_cuda()) at::globalContext().setBenchmarkCuDNN(true);
}

torch::Tensor pinnedFor(const torch::Tensor& host, const torch::Device& device) {
    if (!device.is_cuda() || host.is_cuda() || host.is_pinned()) return host;
    return host.pin_memory();
}

bool builtWithCuda() {
#ifdef FEWDATA_WITH_CUDA
    return true;
#else
    return false;
#endif
}

}  // namespace fewdata
