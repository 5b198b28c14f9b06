// train-step: the synthetic step with the engine's settings (or --plain, the reference's), and
// on a CUDA build the whole step captured in a CUDA graph (--graph).
#include <chrono>
#include <cstdio>

#include "bench_commands.h"
#include "core/train/fast_path.h"
#include "core/base/runtime.h"
#include "synthetic_step.h"

namespace fewdata::bench {

double trainStepRate(const StepSetup& s, int steps, int warmup) {
    SyntheticStep step(s);
    const bool graph = s.graph && !s.plain;
    if (graph)
        step.capture(warmup);
    else
        for (int i = 0; i < warmup; ++i) step.eager();
    step.sync();
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < steps; ++i) {
        if (graph)
            step.replay();
        else
            step.eager();
    }
    step.sync();
    const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return steps * s.batch / dt;
}

int runTrainStep(const TrainStepArgs& a) {
    const int threads = applyThreadCount(a.setup.threads);
    const StepSetup& s = a.setup;
    const torch::Device device = resolveDevice(s.device);
    const double rate = trainStepRate(s, a.steps, a.warmup);
    std::printf(
        "fewdata %s size=%d batch=%d channels=%d threads=%d stem=%s device=%s layout=%s "
        "precision=%s graph=%d imgs_per_s=%.1f\n",
        s.arch.c_str(), s.size, s.batch, s.channels, threads, s.stem.c_str(),
        device.is_cuda() ? "cuda" : "cpu", s.channelsLast && !s.plain ? "channels_last" : "nchw",
        s.plain ? "fp32" : resolvePrecision(s.precision, device).c_str(), s.graph && !s.plain,
        rate);
    return 0;
}

}  // namespace fewdata::bench
