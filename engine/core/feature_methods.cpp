#include "core/feature_methods.h"

#include "core/runtime.h"

namespace fewdata {

void runSiamese(const TrainConfig&, int64_t classes, const Rows& train, const Rows& val,
                const Rows& test, const EpochSink&, const std::atomic<bool>*, RunResult&);
void runReptile(const TrainConfig&, int64_t classes, const Rows& train, const Rows& val,
                const Rows& test, const EpochSink&, const std::atomic<bool>*, RunResult&);
void runGnn(const TrainConfig&, const FeatureCache&, const EpochSink&, const std::atomic<bool>*,
            RunResult&);

void runFeatureMethod(const TrainConfig& c, const FeatureCache& cache, const EpochSink& sink,
                      const std::atomic<bool>* cancel, RunResult& result) {
    if (c.method == "gnn") return runGnn(c, cache, sink, cancel, result);
    // Penultimate ReLU features differ in scale by orders of magnitude between dimensions.
    const Standardizer z = Standardizer::fit(cache.train.x);
    const Rows train{z.apply(cache.train.x), cache.train.y};
    const Rows val{z.apply(cache.val.x), cache.val.y};
    const Rows test{z.apply(cache.test.x), cache.test.y};
    const ScopedThreadCount oneThread(1);
    if (c.method == "reptile")
        return runReptile(c, cache.numClasses(), train, val, test, sink, cancel, result);
    if (c.method == "siamese-contrastive" || c.method == "siamese-triplet")
        return runSiamese(c, cache.numClasses(), train, val, test, sink, cancel, result);
    throw InputError("method '" + c.method + "' does not train on cached features");
}

}  // namespace fewdata
