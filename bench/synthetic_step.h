// One SGD training step on a fixed random batch, as the torchvision reference script takes
// it, with the engine's speed settings; on a CUDA build it can be captured once in a CUDA
// graph and replayed (all shapes are static).
#pragma once

#include <memory>

#include "bench_commands.h"
#include "core/model/resnet.h"

namespace fewdata::bench {

class SyntheticStep {
public:
    explicit SyntheticStep(const StepSetup& setup);
    ~SyntheticStep();
    void eager();  // zero the gradients, forward, loss, backward, SGD step
    // Warms up on a side stream and records one step into a graph; later steps replay() it.
    // Throws without a CUDA device and a CUDA build.
    void capture(int warmup);
    void replay();
    void sync();
    double loss();  // the batch's loss with the current weights (no gradient)
    bool channelsLast() const { return channelsLast_; }
    bool bf16() const { return bf16_; }

private:
    void forwardBackward();

    torch::Device device_;
    bool channelsLast_, bf16_;
    ResNet model_{nullptr};
    std::unique_ptr<torch::optim::SGD> opt_;
    torch::Tensor x_, y_;
    struct Graph;
    std::unique_ptr<Graph> graph_;
};

}  // namespace fewdata::bench
