#include "core/methods/feature_methods.h"

#include "core/methods/registry.h"

namespace fewdata {

void runFeatureMethod(const TrainConfig& c, const FeatureCache& cache, const EpochSink& sink,
                      const std::atomic<bool>* cancel, RunResult& result) {
    const MethodInfo& m = methodInfo(c.method);
    if (!m.features) throw InputError("method '" + c.method + "' does not train on cached features");
    m.features(c, cache, sink, cancel, result);
}

StandardRows standardRows(const FeatureCache& cache) {
    const Standardizer z = Standardizer::fit(cache.train.x);
    return {{z.apply(cache.train.x), cache.train.y},
            {z.apply(cache.val.x), cache.val.y},
            {z.apply(cache.test.x), cache.test.y}};
}

}  // namespace fewdata
