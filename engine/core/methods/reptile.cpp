// Reptile (Nichol et al. 2018) on cached features: N-way K-shot tasks with shuffled labels, k
// inner Adam steps (beta1 = 0) from phi to phi', phi <- phi + eps (mean phi' - phi) with eps
// annealed linearly to 0. The meta-learned 2-layer MLP then initialises the classifier, which
// is trained on the whole training split.
#include <chrono>
#include <map>

#include "core/methods/reptile.h"
#include "core/methods/reptile_inner.h"

#include "core/base/runtime.h"
#include "core/methods/feature_methods.h"
#include "core/model/weight_snapshot.h"
#include "core/train/model_selection.h"
#include "core/train/schedule.h"

namespace fewdata {
namespace {


struct Task {
    torch::Tensor rows;    // int64 indices into the training rows
    torch::Tensor labels;  // 0 .. ways-1, a fresh assignment per task
};

Task sampleTask(const std::vector<std::vector<int64_t>>& eligible, int ways, int shots) {
    const auto classes = torch::randperm(static_cast<int64_t>(eligible.size()), torch::kInt64);
    std::vector<int64_t> rows, labels;
    for (int w = 0; w < ways; ++w) {
        const auto& members = eligible[classes[w].item<int64_t>()];
        const auto pick = torch::randperm(static_cast<int64_t>(members.size()), torch::kInt64);
        for (int s = 0; s < shots; ++s) {
            rows.push_back(members[pick[s].item<int64_t>()]);
            labels.push_back(w);
        }
    }
    return {torch::tensor(rows, torch::kInt64), torch::tensor(labels, torch::kInt64)};
}

}  // namespace

std::vector<torch::Tensor> reptileMetaUpdate(const std::vector<torch::Tensor>& phi,
                                             const std::vector<std::vector<torch::Tensor>>& adapted,
                                             double epsilon) {
    TORCH_CHECK(!adapted.empty(), "a meta update needs at least one task");
    std::vector<torch::Tensor> out;
    for (size_t i = 0; i < phi.size(); ++i) {
        auto mean = torch::zeros_like(phi[i]);
        for (const auto& task : adapted) mean += task.at(i);
        mean /= static_cast<double>(adapted.size());
        out.push_back(phi[i] + epsilon * (mean - phi[i]));
    }
    return out;
}

namespace {

void metaTrain(const TrainConfig& c, int64_t classes, const Rows& train, const Rows& val,
               const Rows& test, const EpochSink& sink, const std::atomic<bool>* cancel,
               RunResult& result) {
    std::map<int64_t, std::vector<int64_t>> byClass;
    for (int64_t i = 0; i < train.y.numel(); ++i) byClass[train.y[i].item<int64_t>()].push_back(i);
    std::vector<std::vector<int64_t>> eligible;
    for (auto& [label, rows] : byClass)
        if (static_cast<int>(rows.size()) >= c.reptile_shots) eligible.push_back(rows);
    if (static_cast<int>(eligible.size()) < c.reptile_ways)
        throw InputError(
            "reptile needs " + std::to_string(c.reptile_ways) + " classes with at least " +
            std::to_string(c.reptile_shots) + " training images (reptile_ways, " +
            "reptile_shots); the training split has " + std::to_string(eligible.size()));

    const int64_t d = train.x.size(1);
    // Only for its initial weights (the random stream of the one-module version); meta-training
    // works on phi's tensors.
    torch::nn::Sequential meta(torch::nn::Linear(d, c.hidden_dim), torch::nn::ReLU(),
                               torch::nn::Linear(c.hidden_dim, c.reptile_ways));
    std::vector<torch::Tensor> phi = WeightSnapshot::of({meta.ptr().get()}).tensors;
    const ReptileInner inner{c.reptile_inner_steps, c.reptile_inner_lr};
    // Progress in twenty reports, each a pseudo-epoch of iterations.
    const int reportEvery = reptileReportInterval(c.reptile_iterations);
    auto t0 = std::chrono::steady_clock::now();
    double innerLossSum = 0;
    int64_t innerLosses = 0;
    for (int it = 0; it < c.reptile_iterations; ++it) {
        if (cancel && cancel->load()) throw Cancelled();
        const double eps = c.reptile_epsilon * (1.0 - double(it) / c.reptile_iterations);
        std::vector<ReptileTask> tasks;
        for (int b = 0; b < c.reptile_meta_batch; ++b) {
            const Task task = sampleTask(eligible, c.reptile_ways, c.reptile_shots);
            tasks.push_back({train.x.index_select(0, task.rows), task.labels});
        }
        const ReptileAdaptation adapted = adaptTasksBatched(phi, tasks, inner);
        innerLossSum += adapted.lastLossSum;
        innerLosses += static_cast<int64_t>(tasks.size());
        result.stepsCompleted += static_cast<int64_t>(tasks.size()) * inner.steps;
        phi = reptileMetaUpdate(phi, adapted.weights, eps);
        if ((it + 1) % reportEvery == 0 || it + 1 == c.reptile_iterations) {
            EpochMetrics m;
            m.epoch = (it + reportEvery) / reportEvery;
            m.stage = "meta";
            m.trainLoss = innerLossSum / std::max<int64_t>(1, innerLosses);
            m.trainAccuracy = -1;
            m.valAccuracy = -1;
            m.valLoss = -1;  // meta-training has no validation figure
            m.lr = eps;
            m.seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            m.imagesPerSecond =
                innerLosses * c.reptile_ways * c.reptile_shots / std::max(1e-9, m.seconds);
            checkFinite(m.trainLoss, "meta-iteration " + std::to_string(it + 1), eps);
            if (sink) sink(m);
            innerLossSum = 0;
            innerLosses = 0;
            t0 = std::chrono::steady_clock::now();
        }
    }
    const int metaReports = reptileReports(c.reptile_iterations);

    // The hidden layer is copied; labels were shuffled per task, so every output row of the
    // meta-model stands for "a class": each class's row starts from their mean.
    torch::nn::Sequential classifier(torch::nn::Linear(d, c.hidden_dim), torch::nn::ReLU(),
                                     torch::nn::Linear(c.hidden_dim, classes));
    {
        torch::NoGradGuard guard;
        auto* dstHidden = classifier[0]->as<torch::nn::Linear>();
        auto* dstOut = classifier[2]->as<torch::nn::Linear>();
        dstHidden->weight.copy_(phi[0]);
        dstHidden->bias.copy_(phi[1]);
        dstOut->weight.copy_(phi[2].mean(0, true).expand_as(dstOut->weight));
        dstOut->bias.fill_(phi[3].mean().item<double>());
    }
    const FeatureFit fit = fitClassifier(
        classifier, train, val, test,
        FeatureTrainOptions::fromConfig(c, c.classifier_epochs, "classifier", metaReports), sink,
        cancel);
    takeFit(fit, metaReports, result);  // epochs as numbered in metrics.jsonl
}

}  // namespace

void runReptile(const TrainConfig& c, const FeatureCache& cache, const EpochSink& sink,
                const std::atomic<bool>* cancel, RunResult& result) {
    const StandardRows rows = standardRows(cache);
    // Small products: more threads only add synchronisation (fewdata-bench reptile --threads 2
    // ran the batched meta-iterations at half the speed of one thread on this 2-core machine).
    const ScopedThreadCount oneThread(1);
    metaTrain(c, cache.numClasses(), rows.train, rows.val, rows.test, sink, cancel, result);
}

}  // namespace fewdata
