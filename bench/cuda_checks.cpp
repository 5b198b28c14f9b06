// fewdata-cuda-checks: the GPU half of the test suite, for the GPU machine (no Qt there). The
// fast settings against the plain path on CUDA: bf16 chosen on its own where the GPU has it,
// a CUDA-graph step training like the eager one, and a whole run with bf16, channels_last and
// prefetch following the fp32 run's loss curve. Prints PASS/FAIL lines; exit status = failures.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "core/train/fast_path.h"
#include "core/base/runtime.h"
#include "core/run/train_job.h"
#include "synthetic_step.h"

using namespace fewdata;

namespace {

int failures = 0;

void check(bool ok, const std::string& name, const std::string& detail) {
    std::printf("%s %s: %s\n", ok ? "PASS" : "FAIL", name.c_str(), detail.c_str());
    std::fflush(stdout);
    failures += !ok;
}

double relative(double x, double y) {
    return std::abs(x - y) / std::max(1e-12, std::abs(y));
}

struct Curve : TrainListener {
    std::vector<double> losses;
    double firstLoss = -1;
    std::string message;
    void epoch(const EpochMetrics& m) override { losses.push_back(m.trainLoss); }
    void batch(const BatchProgress& p) override {
        if (p.epoch == 1 && p.batch == 1) firstLoss = p.loss;
    }
    void failed(const RunResult& r) override { message = r.message; }
};

RunResult train(TrainConfig c, Curve& curve) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("fewdata-cuda-check-" + std::to_string(::getpid()) + "-" + c.precision +
                      (c.prefetch ? "-prefetch" : ""));
    std::filesystem::remove_all(dir);
    const RunResult r = TrainJob({c, dir.string()}, openCoreDataset).run(&curve, nullptr);
    std::filesystem::remove_all(dir);
    return r;
}

void graphTrainsLikeEager() {
    bench::StepSetup s;
    s.device = "cuda";
    s.batch = 64;
    bench::SyntheticStep eager(s), graphed(s);
    const double before = eager.loss();
    for (int i = 0; i < 5; ++i) eager.eager();
    graphed.capture(3);  // 3 eager warm-up steps; the capture itself computes nothing
    graphed.replay();
    graphed.replay();
    graphed.sync();
    const double a = eager.loss(), b = graphed.loss();
    char detail[200];
    std::snprintf(detail, sizeof detail,
                  "loss before %.4f, after 5 eager steps %.4f, after 3 eager + 2 replays %.4f",
                  before, a, b);
    check(a < 0.9 * before && b < 0.9 * before && relative(b, a) < 0.05,
          "a CUDA-graph step trains as the eager step does", detail);
}

void fastRunFollowsPlainRun() {
    TrainConfig c;
    c.per_class = 50;
    c.epochs = 5;
    c.batch_size = 32;
    c.max_test_samples = 2000;
    c.checkpoint_every = 0;
    c.device = "cuda";
    c.precision = "fp32";
    c.channels_last = false;
    c.prefetch = false;
    Curve plainCurve, fastCurve;
    const RunResult plain = train(c, plainCurve);
    c.precision = "auto";
    c.channels_last = true;
    c.prefetch = true;
    const RunResult fast = train(c, fastCurve);
    check(plain.status == RunStatus::Finished && fast.status == RunStatus::Finished, "both runs finish",
          statusName(plain.status) + " / " + statusName(fast.status) + " " + plainCurve.message + fastCurve.message);
    double gap = 0;
    for (size_t i = 0; i < std::min(plainCurve.losses.size(), fastCurve.losses.size()); ++i)
        gap = std::max(gap, relative(fastCurve.losses[i], plainCurve.losses[i]));
    char detail[300];
    std::snprintf(detail, sizeof detail,
                  "first-batch loss %.5f vs %.5f; largest epoch-loss gap %.3f; test %.2f%% vs "
                  "%.2f%% (fast vs plain)",
                  fastCurve.firstLoss, plainCurve.firstLoss, gap, fast.testAccuracy,
                  plain.testAccuracy);
    check(relative(fastCurve.firstLoss, plainCurve.firstLoss) < 1e-2 && gap < 0.1 &&
              fast.testAccuracy > 40 && std::abs(fast.testAccuracy - plain.testAccuracy) < 15,
          "bf16 + channels_last + prefetch follow the fp32 run", detail);
}

}  // namespace

int main() {
    if (!torch::cuda::is_available() || !builtWithCuda()) {
        std::printf("SKIP: no CUDA device or a CPU-only LibTorch; nothing checked\n");
        return 0;
    }
    applyThreadCount(0);
    const torch::Device gpu(torch::kCUDA, 0);
    check(resolvePrecision("auto", gpu) == (bf16Supported(gpu) ? "bf16" : "fp32"), "precision auto",
          "resolves to " + resolvePrecision("auto", gpu));
    try {
        graphTrainsLikeEager();
    } catch (const std::exception& e) {
        check(false, "a CUDA-graph step trains as the eager step does", e.what());
    }
    try {
        fastRunFollowsPlainRun();
    } catch (const std::exception& e) {
        check(false, "bf16 + channels_last + prefetch follow the fp32 run", e.what());
    }
    std::printf("cuda checks: %d failed\n", failures);
    return failures;
}
