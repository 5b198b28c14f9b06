// The paper's GCN (section 3.4) on cached features: one graph over train, validation and test
// nodes, two GCN layers trained on the train nodes only (transductive, Kipf and Welling's
// defaults), compared on the same nodes with the baseline CNN's own predictions and with the
// same two-layer network without the graph.
#include <algorithm>
#include <chrono>
#include <limits>

#include "core/methods/gnn.h"

#include "core/methods/feature_methods.h"
#include "core/base/seeded_random.h"
#include "core/train/model_selection.h"
#include "core/train/predictions.h"
#include "core/train/schedule.h"

namespace fewdata {
namespace {

namespace F = torch::nn::functional;

struct GcnImpl : torch::nn::Module {
    GcnImpl(int64_t in, int64_t hidden, int64_t out, double dropout)
        : w1(register_module("w1", torch::nn::Linear(in, hidden))),
          w2(register_module("w2", torch::nn::Linear(hidden, out))),
          p(dropout) {}
    // An undefined `a` is the identity: the same network without the graph.
    torch::Tensor forward(const torch::Tensor& a, const torch::Tensor& x) {
        auto propagate = [&](const torch::Tensor& h) { return a.defined() ? a.mm(h) : h; };
        auto h = torch::relu(
            propagate(w1(F::dropout(x, F::DropoutFuncOptions().p(p).training(is_training())))));
        return propagate(w2(F::dropout(h, F::DropoutFuncOptions().p(p).training(is_training()))));
    }
    torch::nn::Linear w1, w2;
    double p;
};
TORCH_MODULE(Gcn);

struct NodeSets {
    torch::Tensor x, y;              // all nodes
    torch::Tensor train, val, test;  // int64 node indices
    std::vector<torch::Tensor> rows;  // train, val, test: each node's position in its split
    torch::Tensor cnnScores;         // the baseline's logits restricted to the chosen classes
    std::vector<int64_t> classes;    // the dataset's index of each node label
};

double accuracy(const torch::Tensor& scores, const torch::Tensor& y, const torch::Tensor& nodes) {
    if (nodes.numel() == 0) return 0;
    return 100.0 * scores.index_select(0, nodes)
                       .argmax(1)
                       .eq(y.index_select(0, nodes))
                       .to(torch::kFloat64)
                       .mean()
                       .item<double>();
}

struct NodeFit {
    double val = 0, test = 0, valLast = 0, testLast = 0;
    int bestEpoch = 0;
    torch::Tensor testPredictions;  // at the best epoch
    torch::Tensor scores;           // every node's, at the best epoch
};

NodeFit trainNodes(const TrainConfig& c, const torch::Tensor& a, const NodeSets& s, int64_t classes,
                   const std::string& stage, int epochOffset, const EpochSink& sink,
                   const std::atomic<bool>* cancel, RunResult& result) {
    Gcn net(s.x.size(1), c.gnn_hidden, classes, c.gnn_dropout);
    torch::optim::Adam opt(net->parameters(),
                           torch::optim::AdamOptions(c.gnn_lr).weight_decay(c.gnn_weight_decay));
    const auto ytrain = s.y.index_select(0, s.train);
    NodeFit fit;
    BestEpoch selection;
    std::vector<torch::Tensor> best;
    for (int epoch = 1; epoch <= c.gnn_epochs; ++epoch) {
        if (cancel && cancel->load()) throw Cancelled();
        const auto t0 = std::chrono::steady_clock::now();
        net->train();
        opt.zero_grad();
        const auto out = net->forward(a, s.x);
        const auto loss = F::cross_entropy(out.index_select(0, s.train), ytrain);
        checkFinite(loss.item<double>(), stage + " epoch " + std::to_string(epoch), c.gnn_lr);
        loss.backward();
        opt.step();
        ++result.stepsCompleted;
        EpochMetrics m;
        m.epoch = epochOffset + epoch;
        m.stage = stage;
        m.trainLoss = loss.item<double>();
        m.trainAccuracy = accuracy(out.detach(), s.y, s.train);
        {
            torch::NoGradGuard guard;
            net->eval();
            const auto scores = net->forward(a, s.x);
            m.valLoss = s.val.numel() ? F::cross_entropy(scores.index_select(0, s.val),
                                                         s.y.index_select(0, s.val))
                                            .item<double>()
                                      : 0.0;
            m.valAccuracy = accuracy(scores, s.y, s.val);
            fit.valLast = m.valAccuracy;
            fit.testLast = accuracy(scores, s.y, s.test);
            m.best = selection.offer(epoch, m.valAccuracy, m.valLoss);
            if (m.best) {
                fit.bestEpoch = epoch;
                fit.val = m.valAccuracy;
                fit.test = fit.testLast;
                fit.testPredictions = scores.index_select(0, s.test).argmax(1);
                fit.scores = scores;
            }
        }
        m.lr = c.gnn_lr;
        m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        m.imagesPerSecond = s.train.numel() / std::max(1e-9, m.seconds);
        if (sink) sink(m);
    }
    return fit;
}

// The nodes of the chosen classes (all, or a seeded random subset), labels renumbered.
NodeSets chooseNodes(const TrainConfig& c, const FeatureCache& cache) {
    const int64_t all = cache.numClasses();
    if (c.gnn_classes > all)
        throw InputError("config key 'gnn_classes' = " + std::to_string(c.gnn_classes) +
                         " but the dataset has " + std::to_string(all) + " classes");
    // The subset depends on the seed alone, so a run that trained its own baseline and one that
    // reads a baseline's features pick the same classes.
    std::vector<int64_t> order(static_cast<size_t>(all));
    for (int64_t i = 0; i < all; ++i) order[i] = i;
    SplitMix64 rng(static_cast<uint64_t>(c.seed) * 0x9E3779B97F4A7C15ull + 0x6A7);
    seededShuffle(order, rng);
    if (c.gnn_classes > 0) order.resize(static_cast<size_t>(c.gnn_classes));
    std::sort(order.begin(), order.end());
    const auto chosen = torch::tensor(order, torch::kInt64);
    auto relabel = torch::full({all}, -1, torch::kInt64);
    relabel.index_put_({chosen}, torch::arange(chosen.numel(), torch::kInt64));

    const int64_t dims =
        c.gnn_feature_dims > 0 ? std::min<int64_t>(c.gnn_feature_dims, cache.dim()) : cache.dim();
    std::vector<torch::Tensor> xs, ys, scores, sets, rows;
    int64_t offset = 0;
    for (const LabelledFeatures* part : {&cache.train, &cache.val, &cache.test}) {
        const auto keep = relabel.index_select(0, part->y).ge(0).nonzero().view(-1);
        xs.push_back(part->x.index_select(0, keep).narrow(1, 0, dims));
        ys.push_back(relabel.index_select(0, part->y.index_select(0, keep)));
        scores.push_back(part->logits.index_select(0, keep).index_select(1, chosen));
        sets.push_back(torch::arange(offset, offset + keep.numel(), torch::kInt64));
        offset += keep.numel();
        rows.push_back(keep);
    }
    NodeSets s;
    s.rows = rows;
    s.x = torch::cat(xs);
    s.y = torch::cat(ys);
    s.cnnScores = torch::cat(scores);
    s.train = sets[0];
    s.val = sets[1];
    s.test = sets[2];
    s.classes = order;
    if (s.x.size(0) > c.gnn_max_nodes)
        throw InputError("the graph would have " + std::to_string(s.x.size(0)) +
                         " nodes, more than gnn_max_nodes = " + std::to_string(c.gnn_max_nodes) +
                         " (it is dense: n^2 weights); use gnn_classes (the paper's 10), "
                         "max_test_samples, or raise gnn_max_nodes");
    return s;
}

// w_ij = e_ij / d_ij of eq. 6 to 8, without self-loops; e_ij from knnEdges where
// `neighbours` > 0.
torch::Tensor edgeWeights(const torch::Tensor& v, GraphStats* stats, double thresholdScale,
                          int64_t neighbours) {
    const int64_t n = v.size(0);
    TORCH_CHECK(n >= 2, "a graph needs at least 2 nodes");
    const auto d = torch::cdist(v.unsqueeze(0), v.unsqueeze(0)).squeeze(0);
    const auto self = torch::eye(n, torch::TensorOptions().dtype(torch::kBool));
    const double mean = meanDistance(d);
    const auto edge = neighbours > 0 ? knnEdges(d, neighbours)
                                     : d.le(mean * thresholdScale).logical_and(self.logical_not());
    if (stats) *stats = countGraph(edge, mean);
    // Identical images (distance 0) would get an infinite weight: floor the distance.
    return edge.to(torch::kFloat32) / d.clamp_min(1e-6 * std::max(mean, 1e-12));
}

torch::Tensor symmetricNormalised(const torch::Tensor& w) {
    const auto inv = w.sum(1).rsqrt();
    return inv.view({-1, 1}) * w * inv.view({1, -1});
}

}  // namespace

torch::Tensor knnEdges(const torch::Tensor& dist, int64_t k) {
    const int64_t n = dist.size(0);
    TORCH_CHECK(k >= 1 && k < n, "k = ", k, " nearest neighbours need 1 <= k < ", n, " nodes");
    const auto self = torch::eye(n, torch::TensorOptions().dtype(torch::kBool));
    // cdist's diagonal is not exactly 0: keep a node out of its own neighbours explicitly.
    const auto others = dist.masked_fill(self, std::numeric_limits<float>::infinity());
    const auto nearest = std::get<1>(others.topk(k, 1, /*largest=*/false));
    auto edge = torch::zeros({n, n}, torch::kBool);
    edge.scatter_(1, nearest, true);
    return edge.logical_or(edge.t());
}

double meanDistance(const torch::Tensor& dist) {
    const auto self = torch::eye(dist.size(0), torch::TensorOptions().dtype(torch::kBool));
    return dist.masked_select(self.logical_not()).mean().item<double>();
}

GraphStats countGraph(const torch::Tensor& edge, double mean) {
    GraphStats stats;
    stats.nodes = edge.size(0);
    stats.edges = edge.sum().item<int64_t>() / 2;
    stats.meanDistance = mean;
    stats.isolatedNodes = edge.any(1).logical_not().sum().item<int64_t>();
    return stats;
}

torch::Tensor similarityGraph(const torch::Tensor& v, const std::string& normalization,
                              GraphStats* stats, double thresholdScale) {
    const auto w = edgeWeights(v, stats, thresholdScale, 0);
    if (normalization == "symmetric") return symmetricNormalised(w + torch::eye(v.size(0)));
    // A node without neighbours keeps a zero row, as eq. (9) leaves it.
    return w / w.sum(1, true).clamp_min(1e-30);
}

torch::Tensor gcnPropagation(const torch::Tensor& v, const std::string& normalization,
                             GraphStats* stats, int64_t neighbours) {
    // The self-loop weighs 1, as an edge at distance 1 does; an isolated node's row is then
    // exactly itself under either normalisation, a connected one's mostly its neighbours'.
    const auto w = edgeWeights(v, stats, 1.0, neighbours) + torch::eye(v.size(0));
    if (normalization == "symmetric") return symmetricNormalised(w);
    return w / w.sum(1, true);
}

void runGnn(const TrainConfig& c, const FeatureCache& cache, const EpochSink& sink,
            const std::atomic<bool>* cancel, RunResult& result) {
    const NodeSets raw = chooseNodes(c, cache);
    const int64_t classes = raw.cnnScores.size(1);
    const bool knn = c.gnn_graph == "knn";
    if (knn && c.gnn_neighbours >= raw.x.size(0))
        throw InputError("config key 'gnn_neighbours' = " + std::to_string(c.gnn_neighbours) +
                         " but the graph has only " + std::to_string(raw.x.size(0)) +
                         " nodes: a node has at most nodes - 1 neighbours");
    GraphStats stats;
    const auto a = gcnPropagation(raw.x, c.gnn_normalization, &stats, knn ? c.gnn_neighbours : 0);
    // Same-class share of the edges says how much the graph can help before any training.
    const auto sameClass = raw.y.view({-1, 1}).eq(raw.y.view({1, -1}));
    const double sameShare = stats.edges ? a.gt(0).logical_and(sameClass)
                                                   .logical_and(torch::eye(a.size(0)).logical_not())
                                                   .sum()
                                                   .item<double>() /
                                               (2.0 * stats.edges)
                                         : 0.0;
    NodeSets s = raw;
    s.x = Standardizer::fit(raw.x.index_select(0, raw.train)).apply(raw.x);

    result.figures.push_back({"cnn_val_accuracy", accuracy(s.cnnScores, s.y, s.val)});
    result.figures.push_back({"cnn_test_accuracy", accuracy(s.cnnScores, s.y, s.test)});
    const NodeFit mlp = trainNodes(c, torch::Tensor(), s, classes, "mlp", 0, sink, cancel, result);
    result.figures.push_back({"mlp_val_accuracy", mlp.val});
    result.figures.push_back({"mlp_test_accuracy", mlp.test});
    // A k-nearest graph has about k + 1 weights a row: sparse, each product costs O(n k)
    // instead of O(n^2), the same sums up to rounding.
    const NodeFit gcn = trainNodes(c, knn ? a.to_sparse() : a, s, classes, "gnn", c.gnn_epochs,
                                   sink, cancel, result);
    result.valAccuracy = gcn.val;
    result.testAccuracy = gcn.test;
    result.valAccuracyLast = gcn.valLast;
    result.testAccuracyLast = gcn.testLast;
    result.bestEpoch = c.gnn_epochs + gcn.bestEpoch;  // after the MLP's epochs
    if (gcn.testPredictions.defined())
        result.testConfusion =
            confusionMatrix(s.y.index_select(0, s.test), gcn.testPredictions, classes);
    if (int64_t(raw.classes.size()) < cache.numClasses()) result.testConfusionClasses = raw.classes;
    if (gcn.scores.defined()) {
        auto part = [&](const torch::Tensor& nodes, const torch::Tensor& rows, bool keep) {
            return splitPredictions(gcn.scores.index_select(0, nodes), s.y.index_select(0, nodes),
                                    rows, raw.classes, keep);
        };
        result.predictions = {part(s.train, s.rows[0], false), part(s.val, s.rows[1], false),
                              part(s.test, s.rows[2], true)};
    }
    result.figures.push_back({"graph_nodes", double(stats.nodes)});
    result.figures.push_back({"graph_edges", double(stats.edges)});
    result.figures.push_back({"graph_mean_distance", stats.meanDistance});
    result.figures.push_back({"graph_isolated_nodes", double(stats.isolatedNodes)});
    result.figures.push_back({"graph_same_class_edge_share", 100.0 * sameShare});
    result.figures.push_back({"graph_classes", double(classes)});
    if (knn) result.figures.push_back({"graph_neighbours", double(c.gnn_neighbours)});
}

}  // namespace fewdata
