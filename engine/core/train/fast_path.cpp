#include "core/train/fast_path.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include "core/base/errors.h"

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
    return torch::cuda::is_available() &&
           at::cuda::getDeviceProperties(device.index() < 0 ? 0 : device.index())->major >= 8;
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

namespace {

// LibTorch 2.4 made autocast's switches per device type; before, CUDA and CPU had their own.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
at::DeviceType typeOf(bool cuda) {
    return cuda ? at::kCUDA : at::kCPU;
}
bool autocastEnabled(bool cuda) {
    return at::autocast::is_autocast_enabled(typeOf(cuda));
}
void setAutocastEnabled(bool cuda, bool on) {
    at::autocast::set_autocast_enabled(typeOf(cuda), on);
}
at::ScalarType autocastDtype(bool cuda) {
    return at::autocast::get_autocast_dtype(typeOf(cuda));
}
void setAutocastDtype(bool cuda, at::ScalarType t) {
    at::autocast::set_autocast_dtype(typeOf(cuda), t);
}
#else
bool autocastEnabled(bool cuda) {
    return cuda ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
}
void setAutocastEnabled(bool cuda, bool on) {
    if (cuda)
        at::autocast::set_enabled(on);
    else
        at::autocast::set_cpu_enabled(on);
}
at::ScalarType autocastDtype(bool cuda) {
    return cuda ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
}
void setAutocastDtype(bool cuda, at::ScalarType t) {
    if (cuda)
        at::autocast::set_autocast_gpu_dtype(t);
    else
        at::autocast::set_autocast_cpu_dtype(t);
}
#endif

}  // namespace

AutocastScope::AutocastScope(const torch::Device& device, bool on) {
    if (!on) return;
    active_ = true;
    cuda_ = device.is_cuda();
    previous_ = autocastEnabled(cuda_);
    previousDtype_ = autocastDtype(cuda_);
    setAutocastDtype(cuda_, at::kBFloat16);
    setAutocastEnabled(cuda_, true);
}

AutocastScope::~AutocastScope() {
    if (!active_) return;
    setAutocastEnabled(cuda_, previous_);
    setAutocastDtype(cuda_, previousDtype_);
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
