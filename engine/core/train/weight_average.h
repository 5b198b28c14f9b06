// Weight EMA: an exponential moving average of every parameter and buffer of the trained
// modules, updated after each optimiser step. The trainer evaluates it on validation beside
// the raw weights, and model selection may pick either.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "core/model/weight_snapshot.h"

namespace fewdata {

// The decay used at optimiser step `step` (1-based): min(decay, (1 + step) / (10 + step)).
// A fixed 0.999 over a small-data run's few hundred steps would leave most of the average on
// the random initialisation; the ramp (TensorFlow's ExponentialMovingAverage with
// num_updates) lets the first steps count fully.
double emaDecayAt(double decay, int64_t step);

class WeightEma {
public:
    // Starts as a copy of the modules' weights.
    WeightEma(std::vector<torch::nn::Module*> modules, double decay);
    // After optimiser step `step`: avg = d * avg + (1 - d) * w for floating-point tensors, with
    // d = emaDecayAt(decay, step); other tensors (BatchNorm's batch counter) are copied.
    void update(int64_t step);
    // The average, in the modules' order (parameters, then buffers, module by module).
    WeightSnapshot& average() { return average_; }
    const WeightSnapshot& average() const { return average_; }

private:
    std::vector<torch::nn::Module*> modules_;
    double decay_;
    WeightSnapshot average_;
};

// Puts `weights` into `modules` for the scope's lifetime and puts the modules' own weights back
// when it ends (evaluating the average without losing the raw weights training goes on with).
class SwappedWeights {
public:
    SwappedWeights(const std::vector<torch::nn::Module*>& modules, const WeightSnapshot& weights);
    ~SwappedWeights();
    SwappedWeights(const SwappedWeights&) = delete;
    SwappedWeights& operator=(const SwappedWeights&) = delete;

private:
    const std::vector<torch::nn::Module*>& modules_;
    WeightSnapshot own_;
};

}  // namespace fewdata
