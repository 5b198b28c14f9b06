// comparison: the wall time of a preset study (fmnist-table1 by default) on the embedded
// default, run by run, as `fewdata-cli compare` runs it.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <vector>

#include <unistd.h>

#include "bench_commands.h"
#include "core/run/comparison.h"
#include "core/base/runtime.h"
#include "core/run/train_job.h"

namespace fewdata::bench {

int runComparison(const ComparisonArgs& a) {
    const ComparisonPreset& preset = findPreset(a.preset);
    const std::vector<std::string> methods =
        a.methods.empty() ? preset.methods : splitList(a.methods);
    TrainConfig base = TrainConfig::fromJson(preset.config);
    if (a.epochs > 0) base.epochs = a.epochs;
    base.max_test_samples = a.maxTest;
    base.threads = a.threads;
    base.device = a.device;
    base.validate();
    const bool temporary = a.out.empty();
    const std::filesystem::path out =
        temporary ? std::filesystem::temp_directory_path() /
                        ("fewdata-bench-comparison-" + std::to_string(::getpid()))
                  : std::filesystem::path(a.out);
    if (std::filesystem::exists(out) && !std::filesystem::is_empty(out))
        throw std::runtime_error("'" + out.string() + "' is not empty: runs are never overwritten");
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    int failed = 0;
    for (const PlannedRun& run : planComparison(base, methods, a.seeds, out.string())) {
        const auto r0 = Clock::now();
        const RunResult r = TrainJob({run.config, run.dir}, openCoreDataset).run(nullptr, nullptr);
        const double s = std::chrono::duration<double>(Clock::now() - r0).count();
        failed += r.status != RunStatus::Finished;
        std::printf("run method=%s seed=%d status=%s test_accuracy=%.2f seconds=%.1f\n",
                    run.method.c_str(), run.seed, statusName(r.status).c_str(), r.testAccuracy, s);
        std::fflush(stdout);
    }
    const double total = std::chrono::duration<double>(Clock::now() - t0).count();
    std::printf("comparison preset=%s seeds=%d epochs=%d threads=%d failed=%d seconds=%.1f\n",
                a.preset.c_str(), a.seeds, base.epochs, applyThreadCount(a.threads), failed, total);
    if (temporary) std::filesystem::remove_all(out);
    return failed ? 3 : 0;
}

}  // namespace fewdata::bench
