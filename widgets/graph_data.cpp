#include "graph_data.h"

#include <igraph.h>

#include <nlohmann/json.hpp>

#include "core/base/file_read.h"
#include "sample_images.h"

#include <algorithm>
#include <mutex>
#include <stdexcept>
#include <string>

namespace fewdata {
namespace {

// igraph's random generator is global to the process.
std::mutex igraphMutex;

std::vector<QPointF> forceLayout(int n, const std::vector<GraphEdge>& edges, uint64_t seed) {
    std::lock_guard<std::mutex> lock(igraphMutex);
    igraph_vector_int_t ends;
    igraph_vector_int_init(&ends, igraph_integer_t(2 * edges.size()));
    igraph_vector_t weights;
    igraph_vector_init(&weights, igraph_integer_t(edges.size()));
    for (size_t e = 0; e < edges.size(); ++e) {
        VECTOR(ends)[2 * e] = edges[e].a;
        VECTOR(ends)[2 * e + 1] = edges[e].b;
        VECTOR(weights)[e] = 0.05 + edges[e].weight;  // FR needs positive weights
    }
    igraph_t graph;
    igraph_create(&graph, &ends, n, IGRAPH_UNDIRECTED);
    igraph_matrix_t xy;
    igraph_matrix_init(&xy, 0, 0);
    igraph_rng_seed(igraph_rng_default(), igraph_uint_t(seed));
    igraph_layout_fruchterman_reingold(&graph, &xy, false, 300, std::sqrt(double(n)) / 2,
                                       IGRAPH_LAYOUT_AUTOGRID, &weights, nullptr, nullptr, nullptr,
                                       nullptr);
    std::vector<QPointF> p(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) p[size_t(i)] = QPointF(MATRIX(xy, i, 0), MATRIX(xy, i, 1));
    igraph_matrix_destroy(&xy);
    igraph_destroy(&graph);
    igraph_vector_destroy(&weights);
    igraph_vector_int_destroy(&ends);
    return p;
}

}  // namespace

GraphData buildGraph(const FeatureCache& cache, const GraphRequest& r) {
    const int64_t tests = std::min<int64_t>(std::max(0, r.testNodes), cache.test.x.size(0));
    auto x = torch::cat({cache.train.x, cache.val.x, cache.test.x.narrow(0, 0, tests)});
    if (r.featureDims > 0 && r.featureDims < x.size(1)) x = x.narrow(1, 0, r.featureDims);
    const auto y = torch::cat({cache.train.y, cache.val.y, cache.test.y.narrow(0, 0, tests)});
    const auto logits =
        torch::cat({cache.train.logits, cache.val.logits, cache.test.logits.narrow(0, 0, tests)});
    const int64_t n = x.size(0);
    if (n < 2)
        throw std::invalid_argument(
            "a graph needs at least 2 nodes; this run's feature cache has " + std::to_string(n));

    GraphData g;
    g.kind = r.kind;
    g.thresholdScale = r.thresholdScale;
    g.testNodes = tests;
    g.testAvailable = cache.test.x.size(0);
    g.classes = cache.numClasses();
    const auto dist = torch::cdist(x.unsqueeze(0), x.unsqueeze(0)).squeeze(0);
    torch::Tensor both;  // bool [n, n], symmetric, no self-loops
    if (r.kind == GraphKind::Knn) {
        g.k = int(std::clamp<int64_t>(r.k, 1, n - 1));
        both = knnEdges(dist, g.k);
        g.stats = countGraph(both, meanDistance(dist));
    } else {
        const auto a = similarityGraph(x, "row", &g.stats, r.thresholdScale);
        both = a.gt(0).logical_or(a.t().gt(0));
    }
    const auto upper = torch::triu(both, 1);
    const auto sameClass = y.view({-1, 1}).eq(y.view({1, -1}));
    g.sameClassShare =
        g.stats.edges ? upper.logical_and(sameClass).sum().item<double>() / double(g.stats.edges)
                      : 0.0;
    const auto degree = both.sum(1);
    // Drawn: each node's strongest edges (as many per node as the budget allows), so every
    // connected node shows where it belongs; a global top-k would leave most nodes bare.
    const auto strength = torch::where(both, 1.0 / dist.clamp_min(1e-6), torch::zeros_like(dist));
    const int64_t perNode = std::clamp<int64_t>(r.maxDrawnEdges / std::max<int64_t>(1, n), 1,
                                                std::max<int64_t>(1, n - 1));
    const auto [topW, topJ] = strength.topk(perNode, 1);
    auto chosen = torch::zeros({n, n}, torch::kBool);
    chosen.scatter_(1, topJ, topW.gt(0));
    chosen = torch::triu(chosen.logical_or(chosen.t()), 1);
    const auto pairs = chosen.nonzero();  // [E, 2]
    auto kw = strength.index({pairs.select(1, 0), pairs.select(1, 1)});
    const int64_t keep = pairs.size(0);
    if (keep > 0) {
        const double lo = kw.min().item<double>(), hi = kw.max().item<double>();
        kw = hi > lo ? (kw - lo) / (hi - lo) : torch::ones_like(kw);
    }
    const auto ka = pairs.accessor<int64_t, 2>();
    const auto kwa = kw.to(torch::kFloat32).contiguous();
    const float* w = kwa.data_ptr<float>();
    g.drawn.resize(size_t(keep));
    for (int64_t e = 0; e < keep; ++e) g.drawn[size_t(e)] = {int(ka[e][0]), int(ka[e][1]), w[e]};

    g.labels.assign(y.data_ptr<int64_t>(), y.data_ptr<int64_t>() + n);
    const auto pred = logits.argmax(1).contiguous();
    g.predictions.assign(pred.data_ptr<int64_t>(), pred.data_ptr<int64_t>() + n);
    g.split.resize(size_t(n));
    for (int64_t i = 0; i < n; ++i)
        g.split[size_t(i)] = i < cache.train.x.size(0)                         ? 0
                             : i < cache.train.x.size(0) + cache.val.x.size(0) ? 1
                                                                               : 2;
    const auto deg = degree.to(torch::kInt64).contiguous();
    g.degree.assign(deg.data_ptr<int64_t>(), deg.data_ptr<int64_t>() + n);
    g.positions = forceLayout(int(n), g.drawn, r.seed);
    return g;
}

std::vector<QImage> nodeThumbnails(const std::string& runDir, size_t nodes, int side) {
    std::vector<SampleRef> samples;
    try {
        // Regular files only: a FIFO in its place would block this worker for good.
        const nlohmann::json manifest = readJsonFile(runDir + "/manifest.json");
        for (const char* split : {"train", "val"})
            for (const auto& s : manifest.at(split))
                samples.push_back({s.at("id").get<std::string>(), s.at("label").get<int64_t>()});
        for (const auto& s : manifest.at("test").at("samples")) {
            if (samples.size() >= nodes) break;
            samples.push_back({s.at("id").get<std::string>(), s.at("label").get<int64_t>()});
        }
    } catch (const std::exception&) {
        return {};  // a run without its images still shows its graph
    }
    if (samples.size() != nodes) return {};
    std::vector<QImage> out = sampleImages(runDir, samples, side);
    const bool none = std::all_of(out.begin(), out.end(), [](const QImage& i) { return i.isNull(); });
    return none ? std::vector<QImage>() : out;
}

}  // namespace fewdata
