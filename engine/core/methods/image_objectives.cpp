#include "core/methods/image_objectives.h"

#include "core/train/objectives.h"

namespace fewdata {

std::unique_ptr<Objective> makeBaselineObjective(const ObjectiveContext& x) {
    return makeClassifyObjective(x, ClassifyLoss::CrossEntropy);
}

std::unique_ptr<Objective> makeMixupObjective(const ObjectiveContext& x) {
    return makeClassifyObjective(x, ClassifyLoss::CrossEntropy,
                                 {"mixup", x.config.mix_alpha, x.config.mix_probability});
}

std::unique_ptr<Objective> makeCutmixObjective(const ObjectiveContext& x) {
    return makeClassifyObjective(x, ClassifyLoss::CrossEntropy,
                                 {"cutmix", x.config.mix_alpha, x.config.mix_probability});
}

std::unique_ptr<Objective> makeCosineObjective(const ObjectiveContext& x) {
    return makeClassifyObjective(x, ClassifyLoss::Cosine);
}

std::unique_ptr<Objective> makeCosineCeObjective(const ObjectiveContext& x) {
    return makeClassifyObjective(x, ClassifyLoss::CosineWithCrossEntropy);
}

std::unique_ptr<Objective> makeSupconObjective(const ObjectiveContext& x) {
    return makeEmbeddingObjective(x, EmbeddingLoss::SupCon);
}

std::unique_ptr<Objective> makeSiameseContrastiveObjective(const ObjectiveContext& x) {
    return makeEmbeddingObjective(x, EmbeddingLoss::Contrastive);
}

std::unique_ptr<Objective> makeSiameseTripletObjective(const ObjectiveContext& x) {
    return makeEmbeddingObjective(x, EmbeddingLoss::Triplet);
}

}  // namespace fewdata
