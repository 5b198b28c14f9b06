// epoch: whole training epochs through the engine's own pipeline, and the synthetic step of the
// same shape in the same process, so the ratio says what the data pipeline costs.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <vector>

#include <unistd.h>

#include "bench_commands.h"
#include "core/base/runtime.h"
#include "core/run/train_job.h"

namespace fewdata::bench {
namespace {

class EpochRates : public TrainListener {
public:
    void epoch(const EpochMetrics& m) override {
        if (m.stage.empty() || m.stage == "baseline") rates.push_back(m.imagesPerSecond);
    }
    void failed(const RunResult& r) override { message = r.message; }
    std::vector<double> rates;
    std::string message;
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

}  // namespace

int runEpoch(const EpochArgs& a) {
    const int threads = applyThreadCount(a.threads);
    TrainConfig c;
    c.method = a.method;
    c.model = a.arch;
    c.per_class = a.perClass;
    c.image_size = a.imageSize;
    c.batch_size = a.batch;
    c.epochs = a.epochs;
    c.threads = a.threads;
    c.device = a.device;
    c.prefetch = a.prefetch;
    c.channels_last = a.channelsLast;
    c.precision = a.precision;
    c.augment_policy = a.augmentPolicy;
    c.random_erasing = a.randomErasing;
    c.max_test_samples = 100;  // the test pass is not what this measures
    c.checkpoint_every = 0;
    c.validate();
    const auto dir = std::filesystem::temp_directory_path() /
                     ("fewdata-bench-epoch-" + std::to_string(::getpid()));
    EpochRates rates;
    const RunResult r = TrainJob({c, dir.string()}, openCoreDataset).run(&rates, nullptr);
    std::filesystem::remove_all(dir);
    if (r.status != RunStatus::Finished) throw std::runtime_error("the run failed: " + rates.message);
    // The first epoch pays for first-touch allocations; the rest are the steady state.
    std::vector<double> steady(rates.rates.begin() + (rates.rates.size() > 1 ? 1 : 0),
                               rates.rates.end());

    const auto source = openCoreDataset(c);
    const ResolvedSetup setup = resolveSetup(c, source->index());
    StepSetup s;
    s.arch = a.arch;
    s.size = setup.inputSize;
    s.batch = a.batch;
    s.channels = setup.cache.channels;
    s.stem = setup.smallStem ? "small" : "imagenet";
    s.device = a.device;
    s.threads = a.threads;
    s.channelsLast = a.channelsLast;
    s.precision = a.precision;
    const int64_t stepsPerEpoch = r.stepsCompleted / a.epochs;
    const double step = trainStepRate(s, static_cast<int>(std::max<int64_t>(10, stepsPerEpoch)), 3);
    const double epoch = median(steady);
    std::printf(
        "epoch method=%s policy=%s erasing=%g %s size=%d batch=%d threads=%d prefetch=%d "
        "layout=%s epochs=%zu imgs_per_s=%.1f train_step_imgs_per_s=%.1f ratio=%.3f\n",
        a.method.c_str(), a.augmentPolicy.c_str(), a.randomErasing, a.arch.c_str(), s.size,
        a.batch, threads, a.prefetch,
        a.channelsLast ? "channels_last" : "nchw", steady.size(), epoch, step, epoch / step);
    return 0;
}

}  // namespace fewdata::bench
