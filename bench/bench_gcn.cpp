// gcn: a GCN epoch's graph products (training forward and backward, then the evaluation
// forward) over a k-nearest-neighbour graph, with the propagation matrix dense (the reference:
// what the paper's mean-distance graph needs) and sparse (what gnn_graph = knn uses), on the
// same random features in one process, with the largest difference between their outputs.
#include <chrono>
#include <cstdio>

#include "bench_commands.h"
#include "core/base/runtime.h"
#include "core/methods/gnn.h"

namespace fewdata::bench {
namespace {

struct Timed {
    torch::Tensor out;
    double seconds = 0;
};

// Two layers as the GCN's: A (X W1), ReLU, A (H W2); the loss's gradient flows back through
// both products with A, then the evaluation forward repeats them without gradients.
Timed epochs(const torch::Tensor& a, const torch::Tensor& x, const torch::Tensor& w1,
             const torch::Tensor& w2, int count) {
    Timed t;
    const auto t0 = std::chrono::steady_clock::now();
    for (int e = 0; e < count; ++e) {
        const auto p1 = w1.detach().requires_grad_();
        const auto p2 = w2.detach().requires_grad_();
        const auto out = a.mm(torch::relu(a.mm(x.mm(p1))).mm(p2));
        out.square().mean().backward();
        torch::NoGradGuard guard;
        t.out = a.mm(torch::relu(a.mm(x.mm(w1))).mm(w2));
    }
    t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return t;
}

}  // namespace

int runGcn(const GcnArgs& g) {
    const int threads = applyThreadCount(g.threads);
    torch::manual_seed(0);
    const auto x = torch::randn({g.nodes, g.features});
    GraphStats stats;
    const auto dense = gcnPropagation(x, "row", &stats, g.neighbours);
    const auto sparse = dense.to_sparse();
    const auto w1 = torch::randn({g.features, g.hidden}) * 0.05;
    const auto w2 = torch::randn({g.hidden, g.classes}) * 0.05;
    epochs(dense, x, w1, w2, 1);  // untimed first calls
    epochs(sparse, x, w1, w2, 1);
    const Timed ref = epochs(dense, x, w1, w2, g.epochs);
    const Timed fast = epochs(sparse, x, w1, w2, g.epochs);
    std::printf("threads=%d nodes=%d features=%d neighbours=%d edges=%lld epochs=%d\n", threads,
                g.nodes, g.features, g.neighbours, static_cast<long long>(stats.edges), g.epochs);
    std::printf("dense_ms_per_epoch=%.3f\n", 1e3 * ref.seconds / g.epochs);
    std::printf("sparse_ms_per_epoch=%.3f\n", 1e3 * fast.seconds / g.epochs);
    std::printf("speedup=%.2f\n", ref.seconds / fast.seconds);
    std::printf("max_abs_output_difference=%.3g\n",
                (ref.out - fast.out).abs().max().item<double>());
    return 0;
}

}  // namespace fewdata::bench
