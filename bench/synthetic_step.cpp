#include "synthetic_step.h"

#include "core/train/fast_path.h"
#include "core/base/runtime.h"

#ifdef FEWDATA_WITH_CUDA
#include <ATen/autocast_mode.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

namespace fewdata::bench {

#ifdef FEWDATA_WITH_CUDA
struct SyntheticStep::Graph {
    at::cuda::CUDAGraph graph;
};
#else
struct SyntheticStep::Graph {};
#endif

SyntheticStep::SyntheticStep(const StepSetup& s)
    : device_(resolveDevice(s.device)),
      channelsLast_(s.channelsLast && !s.plain),
      bf16_(!s.plain && resolvePrecision(s.precision, device_) == "bf16") {
    configureDevice(device_);
    torch::manual_seed(0);
    ResNetOptions ro;
    ro.arch = s.arch;
    ro.numClasses = s.classes;
    ro.inChannels = s.channels;
    ro.smallStem = s.stem == "small";
    model_ = ResNet(ro);
    model_->to(device_);
    if (channelsLast_) toChannelsLast(*model_);
    model_->train();
    // The reference script's optimiser: SGD, lr 0.1, momentum 0.9, weight decay 1e-4.
    opt_ = std::make_unique<torch::optim::SGD>(
        model_->parameters(), torch::optim::SGDOptions(0.1).momentum(0.9).weight_decay(1e-4));
    x_ = inLayout(torch::randn({s.batch, s.channels, s.size, s.size}, device_), channelsLast_);
    y_ = torch::randint(s.classes, {s.batch}, torch::TensorOptions(device_).dtype(torch::kInt64));
}

SyntheticStep::~SyntheticStep() = default;

void SyntheticStep::forwardBackward() {
    torch::Tensor loss;
    {
        AutocastScope autocast(device_, bf16_);
        loss = torch::nn::functional::cross_entropy(model_->forward(x_), y_);
    }
    loss.backward();
    opt_->step();
}

void SyntheticStep::eager() {
    model_->zero_grad(/*set_to_none=*/true);
    forwardBackward();
}

void SyntheticStep::sync() {
    if (device_.is_cuda()) torch::cuda::synchronize();
}

double SyntheticStep::loss() {
    torch::NoGradGuard guard;
    AutocastScope autocast(device_, bf16_);
    return torch::nn::functional::cross_entropy(model_->forward(x_), y_).item<double>();
}

#ifdef FEWDATA_WITH_CUDA
void SyntheticStep::capture(int warmup) {
    if (!device_.is_cuda()) throw std::runtime_error("a CUDA graph needs --device cuda");
    // As torch.cuda.graph asks: warm up on a side stream (the optimiser's momentum buffers come
    // to exist), drop the gradients so backward allocates them inside the graph's pool, and
    // capture one step. Autocast's weight cache is off: cached casts would outlive the capture.
    const bool cacheWas = at::autocast::is_autocast_cache_enabled();
    at::autocast::set_autocast_cache_enabled(false);
    graph_ = std::make_unique<Graph>();
    // The side stream does not wait for the default one, where the batch is still being made.
    sync();
    auto side = c10::cuda::getStreamFromPool();
    {
        c10::cuda::CUDAStreamGuard guard(side);
        for (int i = 0; i < std::max(3, warmup); ++i) eager();
        side.synchronize();
        model_->zero_grad(/*set_to_none=*/true);
        graph_->graph.capture_begin();
        forwardBackward();
        graph_->graph.capture_end();
    }
    sync();
    at::autocast::set_autocast_cache_enabled(cacheWas);
}

void SyntheticStep::replay() {
    graph_->graph.replay();
}
#else
void SyntheticStep::capture(int) {
    throw std::runtime_error("CUDA graphs need a CUDA build of LibTorch (this one is CPU-only)");
}

void SyntheticStep::replay() {
    throw std::runtime_error("no CUDA graph was captured");
}
#endif

}  // namespace fewdata::bench
