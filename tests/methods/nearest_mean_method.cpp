// nearest-mean: a method that exists for the test suite only, to show what adding a method
// takes. On a baseline's cached features it predicts the class whose training mean is nearest
// (standardised features); no training. Its descriptor and its runner are this one file; the
// built-in methods put the descriptor in engine/core/methods/<name>_method.cpp and list the
// name in engine/core/methods/methods.cmake instead of calling registerNearestMean().
#include "methods/nearest_mean_method.h"

#include "core/methods/feature_methods.h"
#include "core/methods/registry.h"

namespace fewdata {
namespace {

double nearestMeanAccuracy(const torch::Tensor& means, const Rows& rows) {
    if (rows.y.numel() == 0) return 0;
    const auto predicted = torch::cdist(rows.x, means).argmin(1);
    return 100.0 * predicted.eq(rows.y).to(torch::kFloat64).mean().item<double>();
}

void runNearestMean(const TrainConfig&, const FeatureCache& cache, const EpochSink& sink,
                    const std::atomic<bool>*, RunResult& result) {
    const StandardRows rows = standardRows(cache);
    const int64_t classes = cache.numClasses();
    auto means = torch::zeros({classes, rows.train.x.size(1)});
    means.index_add_(0, rows.train.y, rows.train.x);
    means /= torch::bincount(rows.train.y, {}, classes).clamp_min(1).unsqueeze(1);
    EpochMetrics m;
    m.epoch = 1;
    m.stage = "nearest-mean";
    m.valAccuracy = nearestMeanAccuracy(means, rows.val);
    m.best = true;
    if (sink) sink(m);
    result.valAccuracy = result.valAccuracyLast = m.valAccuracy;
    result.testAccuracy = result.testAccuracyLast = nearestMeanAccuracy(means, rows.test);
    result.bestEpoch = 1;
}

}  // namespace

void registerNearestMean() {
    if (methodRegistry().find("nearest-mean")) return;
    MethodInfo m;
    m.name = "nearest-mean";
    m.description = "Nearest class mean on a baseline's cached features (test suite only)";
    m.kind = StageKind::Features;
    m.keys = {"features_from"};
    m.laterEpochs = [](const TrainConfig&) { return 1; };
    m.features = &runNearestMean;
    methodRegistry().add(std::move(m));
}

}  // namespace fewdata
