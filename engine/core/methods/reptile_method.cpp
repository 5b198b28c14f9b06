// reptile: first-order meta-learning (Nichol et al.) of an MLP over few-shot tasks drawn from a
// baseline's cached features; the meta-weights then initialise the final classifier.
#include <algorithm>

#include "core/methods/registry.h"
#include "core/methods/reptile.h"

namespace fewdata {
namespace {

int reptileLaterEpochs(const TrainConfig& c) {
    return reptileReports(c.reptile_iterations) + c.classifier_epochs;
}

}  // namespace

int reptileReportInterval(int iterations) {
    return std::max(1, iterations / 20);
}

int reptileReports(int iterations) {
    const int every = reptileReportInterval(iterations);
    return (iterations + every - 1) / every;
}

void registerMethod_reptile(MethodRegistry& registry) {
    MethodInfo m;
    m.name = "reptile";
    m.description =
        "Reptile meta-learning of an MLP on a baseline's cached features, then fine-tuned "
        "as the classifier";
    m.kind = StageKind::Features;
    m.keys = {"reptile_ways",       "reptile_shots",   "reptile_iterations",
              "reptile_inner_steps", "reptile_inner_lr", "reptile_meta_batch",
              "reptile_epsilon",    "hidden_dim",      "classifier_epochs",
              "features_from"};
    m.laterEpochs = &reptileLaterEpochs;
    m.featureBudgetKey = "reptile_iterations";
    m.features = FEWDATA_FACTORY(runReptile);
    registry.add(std::move(m));
}

}  // namespace fewdata
