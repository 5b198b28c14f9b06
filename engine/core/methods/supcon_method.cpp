// supcon: Supervised contrastive learning on two views, then a linear classifier on the frozen encoder.
#include "core/methods/image_objectives.h"
#include "core/methods/registry.h"

namespace fewdata {
namespace {

// The linear classifier fitted on the frozen encoder after the image stage.
int classifierEpochs(const TrainConfig& c) {
    return c.classifier_epochs;
}

}  // namespace

void registerMethod_supcon(MethodRegistry& registry) {
    MethodInfo m;
    m.name = "supcon";
    m.description = "Supervised contrastive learning on two views, then a linear classifier on the frozen encoder";
    m.kind = StageKind::Images;
    m.keys = {"supcon_temperature", "projection_dim", "classifier_epochs", "balanced_batches",
              "batch_images_per_class", "batch_classes"};
    m.laterEpochs = &classifierEpochs;
    m.objective = FEWDATA_FACTORY(makeSupconObjective);
    registry.add(std::move(m));
}

}  // namespace fewdata
