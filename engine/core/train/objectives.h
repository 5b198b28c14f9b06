// The objectives the image methods are made of: class scores (cross-entropy with optional
// MixUp or CutMix, the cosine loss, cosine with a cross-entropy head) and embeddings
// (supervised contrastive, Siamese contrastive and triplet on images). A method's file in
// methods/ picks one with its options.
#pragma once

#include "core/train/mixing.h"
#include "core/train/objective.h"
#include "core/methods/registry.h"

namespace fewdata {

enum class ClassifyLoss {
    CrossEntropy,            // with label smoothing, on mixed labels where the batch is mixed
    Cosine,                  // Barz & Denzler's 1 - cos(output, one-hot)
    CosineWithCrossEntropy,  // the above plus cosine_ce_weight x CE of a head on the unit output
};
std::unique_ptr<Objective> makeClassifyObjective(const ObjectiveContext& context, ClassifyLoss loss,
                                                 const MixOptions& mix = {});

enum class EmbeddingLoss {
    SupCon,       // two views per image, Khosla et al.
    Contrastive,  // balanced pairs within the batch, Hadsell et al.
    Triplet,      // random triplets within the batch
};
std::unique_ptr<Objective> makeEmbeddingObjective(const ObjectiveContext& context,
                                                  EmbeddingLoss loss);

}  // namespace fewdata
