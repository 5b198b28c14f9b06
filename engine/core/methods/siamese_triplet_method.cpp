// siamese-triplet: Siamese network with the triplet loss (Schroff et al.), then a linear classifier. By default on a baseline's cached
// features (the paper's two stages); with siamese_input images, end to end on the encoder.
#include "core/methods/image_objectives.h"
#include "core/methods/registry.h"
#include "core/methods/siamese_features.h"

namespace fewdata {

void registerMethod_siamese_triplet(MethodRegistry& registry) {
    MethodInfo m;
    m.name = "siamese-triplet";
    m.description = "Siamese network with the triplet loss (Schroff et al.), then a linear classifier";
    m.kind = StageKind::Features;
    m.keys = {"triplet_margin", "siamese_input", "embedding_dim", "embedding_epochs", "hidden_dim",
              "classifier_epochs", "features_from", "balanced_batches", "batch_images_per_class",
              "batch_classes"};
    m.stageFor = &siameseStage;
    m.laterEpochs = &siameseLaterEpochs;
    m.objective = FEWDATA_FACTORY(makeSiameseTripletObjective);
    m.featureBudgetKey = "embedding_epochs";
    m.features = FEWDATA_FACTORY(runSiamese);
    registry.add(std::move(m));
}

}  // namespace fewdata
