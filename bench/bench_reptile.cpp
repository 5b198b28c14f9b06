// reptile: Reptile's meta-iterations with the tasks' inner loops one task at a time on one
// thread (the reference: what runs did before) and batched (what the run uses) on one thread
// and on --threads, on the same tasks in one process, with the largest difference between the
// meta-weights they reach.
#include <chrono>
#include <cstdio>

#include "bench_commands.h"
#include "core/base/runtime.h"
#include "core/methods/reptile.h"
#include "core/methods/reptile_inner.h"

namespace fewdata::bench {
namespace {

using Inner = ReptileAdaptation (*)(const std::vector<torch::Tensor>&,
                                    const std::vector<ReptileTask>&, const ReptileInner&);

struct Timed {
    std::vector<torch::Tensor> phi;
    double seconds = 0;
};

Timed metaTrain(const ReptileArgs& a, const std::vector<std::vector<ReptileTask>>& tasks,
                const std::vector<torch::Tensor>& start, Inner inner) {
    Timed out{start};
    const ReptileInner options{a.innerSteps, 1e-3};
    const auto t0 = std::chrono::steady_clock::now();
    for (int it = 0; it < a.iterations; ++it) {
        const double eps = 1.0 - double(it) / a.iterations;
        out.phi = reptileMetaUpdate(out.phi, inner(out.phi, tasks[it], options).weights, eps);
    }
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

}  // namespace

int runReptile(const ReptileArgs& a) {
    const int threads = applyThreadCount(a.threads);
    torch::manual_seed(0);
    const int n = a.ways * a.shots;
    std::vector<std::vector<ReptileTask>> tasks(a.iterations);
    for (auto& batch : tasks)
        for (int b = 0; b < a.metaBatch; ++b)
            batch.push_back({torch::randn({n, a.features}),
                             torch::arange(a.ways, torch::kInt64).repeat_interleave(a.shots)});
    const std::vector<torch::Tensor> start = {
        torch::randn({a.hidden, a.features}) * 0.05, torch::zeros({a.hidden}),
        torch::randn({a.ways, a.hidden}) * 0.05, torch::zeros({a.ways})};

    // Once each untimed first, so neither pays for first-call allocations.
    ReptileArgs warm = a;
    warm.iterations = std::min(a.iterations, 5);
    metaTrain(warm, tasks, start, adaptTasksOneByOne);
    metaTrain(warm, tasks, start, adaptTasksBatched);

    const Timed wide = metaTrain(a, tasks, start, adaptTasksBatched);
    const ScopedThreadCount one(1);
    const Timed ref = metaTrain(a, tasks, start, adaptTasksOneByOne);
    const Timed batched = metaTrain(a, tasks, start, adaptTasksBatched);
    double maxDiff = 0;
    for (size_t i = 0; i < ref.phi.size(); ++i)
        maxDiff = std::max(maxDiff, (ref.phi[i] - batched.phi[i]).abs().max().item<double>());
    std::printf("threads=%d iterations=%d meta_batch=%d inner_steps=%d features=%d hidden=%d\n",
                threads, a.iterations, a.metaBatch, a.innerSteps, a.features, a.hidden);
    std::printf("one_by_one_1_thread_ms_per_iteration=%.3f\n", 1e3 * ref.seconds / a.iterations);
    std::printf("batched_1_thread_ms_per_iteration=%.3f\n", 1e3 * batched.seconds / a.iterations);
    std::printf("batched_%d_threads_ms_per_iteration=%.3f\n", threads,
                1e3 * wide.seconds / a.iterations);
    std::printf("speedup_1_thread=%.2f\n", ref.seconds / batched.seconds);
    std::printf("speedup_%d_threads=%.2f\n", threads, ref.seconds / wide.seconds);
    std::printf("max_abs_weight_difference=%.3g\n", maxDiff);
    return 0;
}

}  // namespace fewdata::bench
