// Siamese embedding networks on cached features: a 2-layer MLP trained with the contrastive
// (balanced pairs) or triplet loss on L2-normalised outputs, then a linear classifier on the
// frozen embeddings with the baseline's optimiser settings.
#include <chrono>

#include "core/methods/siamese_features.h"

#include "core/base/runtime.h"
#include "core/methods/feature_methods.h"
#include "core/model/losses.h"
#include "core/train/pair_sampling.h"
#include "core/train/model_selection.h"
#include "core/train/schedule.h"
#include "core/model/weight_snapshot.h"

namespace fewdata {
namespace {

namespace F = torch::nn::functional;

torch::Tensor unit(const torch::Tensor& x) {
    return F::normalize(x, F::NormalizeFuncOptions().dim(1).eps(1e-12));
}

// Pair or triplet loss of one epoch's worth of draws, in batches.
struct PairBatches {
    std::vector<torch::Tensor> a, b, c;  // c: same (pairs) or negative (triplets)
};

PairBatches drawBatches(const std::string& method, const torch::Tensor& y, int64_t batch) {
    PairBatches out;
    torch::Tensor a, b, c;
    if (method == "siamese-contrastive") {
        Pairs p = balancedPairs(y);
        a = p.first, b = p.second, c = p.same;
    } else {
        Triplets t = randomTriplets(y);
        a = t.anchor, b = t.positive, c = t.negative;
    }
    const int64_t n = a.numel();
    const auto perm = torch::randperm(n, torch::kInt64);
    for (int64_t s = 0; s < n; s += batch) {
        const auto idx = perm.narrow(0, s, std::min(batch, n - s));
        out.a.push_back(a.index_select(0, idx));
        out.b.push_back(b.index_select(0, idx));
        out.c.push_back(c.index_select(0, idx));
    }
    return out;
}

}  // namespace

namespace {

void trainSiamese(const TrainConfig& c, int64_t classes, const Rows& train, const Rows& val,
                  const Rows& test, const EpochSink& sink, const std::atomic<bool>* cancel,
                  RunResult& result) {
    const int64_t d = train.x.size(1);
    torch::nn::Sequential net(torch::nn::Linear(d, c.hidden_dim), torch::nn::ReLU(),
                              torch::nn::Linear(c.hidden_dim, c.embedding_dim));
    const TrainConfig schedule = stageSchedule(c, c.embedding_epochs);
    torch::optim::SGD optimizer(net->parameters(), torch::optim::SGDOptions(c.lr)
                                                       .momentum(c.momentum)
                                                       .nesterov(c.nesterov && c.momentum > 0)
                                                       .weight_decay(c.weight_decay));
    const bool contrastive = c.method == "siamese-contrastive";
    auto embed = [&](const torch::Tensor& x) { return unit(net->forward(x)); };
    // Nearest class mean on the embeddings picks the best epoch, as on images.
    auto ncmAccuracy = [&](const Rows& rows) {
        torch::NoGradGuard guard;
        net->eval();
        auto sums = torch::zeros({classes, c.embedding_dim});
        sums.index_add_(0, train.y, embed(train.x));
        const auto sims = torch::matmul(embed(rows.x), unit(sums).t());
        return 100.0 * sims.argmax(1).eq(rows.y).to(torch::kFloat64).mean().item<double>();
    };
    WeightSnapshot best;
    BestEpoch selection;  // on the nearest class mean's accuracy alone
    for (int epoch = 1; epoch <= c.embedding_epochs; ++epoch) {
        const auto t0 = std::chrono::steady_clock::now();
        net->train();
        const PairBatches pb = drawBatches(c.method, train.y, c.batch_size);
        double lossSum = 0;
        int64_t seen = 0;
        for (size_t b = 0; b < pb.a.size(); ++b) {
            if (cancel && cancel->load()) throw Cancelled();
            const double lr =
                scheduledLearningRate(schedule, (epoch - 1) + double(b) / pb.a.size());
            for (auto& g : optimizer.param_groups())
                static_cast<torch::optim::SGDOptions&>(g.options()).lr(lr);
            net->zero_grad(true);
            const auto za = embed(train.x.index_select(0, pb.a[b]));
            const auto zb = embed(train.x.index_select(0, pb.b[b]));
            const auto loss = contrastive
                                  ? contrastiveLoss(za, zb, pb.c[b], c.contrastive_margin)
                                  : tripletLoss(za, zb, embed(train.x.index_select(0, pb.c[b])),
                                                c.triplet_margin);
            const double value = loss.item<double>();
            checkFinite(value, "embedding epoch " + std::to_string(epoch), lr);
            loss.backward();
            optimizer.step();
            ++result.stepsCompleted;
            lossSum += value * pb.a[b].numel();
            seen += pb.a[b].numel();
        }
        EpochMetrics m;
        m.epoch = epoch;
        m.stage = "embedding";
        m.trainLoss = seen ? lossSum / seen : 0;
        m.trainAccuracy = -1;
        m.valLoss = -1;  // the nearest class mean gives an accuracy, not a loss
        m.valAccuracy = ncmAccuracy(val);
        m.lr = scheduledLearningRate(schedule, epoch - 1);
        m.best = selection.offer(epoch, m.valAccuracy);
        if (m.best) {
            best = WeightSnapshot::of({net.ptr().get()});
        }
        m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        m.imagesPerSecond = seen / std::max(1e-9, m.seconds);
        if (sink) sink(m);
    }
    best.restoreTo({net.ptr().get()});
    result.figures.push_back({"embedding_best_epoch", double(selection.epoch())});
    result.figures.push_back({"embedding_val_accuracy_ncm", selection.accuracy()});
    result.figures.push_back({"embedding_test_accuracy_ncm", ncmAccuracy(test)});

    torch::NoGradGuard guard;
    net->eval();
    const Rows etrain{embed(train.x), train.y}, eval{embed(val.x), val.y},
        etest{embed(test.x), test.y};
    torch::nn::Sequential classifier(torch::nn::Linear(c.embedding_dim, classes));
    torch::AutoGradMode enable(true);
    const FeatureFit fit = fitClassifier(
        classifier, etrain, eval, etest,
        FeatureTrainOptions::fromConfig(c, c.classifier_epochs, "classifier", c.embedding_epochs),
        sink, cancel);
    takeFit(fit, c.embedding_epochs, result);
}

}  // namespace

void runSiamese(const TrainConfig& c, const FeatureCache& cache, const EpochSink& sink,
                const std::atomic<bool>* cancel, RunResult& result) {
    const StandardRows rows = standardRows(cache);
    const ScopedThreadCount oneThread(1);
    trainSiamese(c, cache.numClasses(), rows.train, rows.val, rows.test, sink, cancel, result);
}

}  // namespace fewdata
