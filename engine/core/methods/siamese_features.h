// The Siamese methods' second stage (the paper's Sections 3.2.1 and 4.2) on a baseline's cached features:
// an embedding MLP trained with the contrastive or triplet loss, then a linear classifier on
// the frozen embeddings. With siamese_input "images" the same losses train the encoder end to
// end instead (image_objectives.h).
#pragma once

#include <atomic>

#include "core/config/config.h"
#include "core/methods/registry.h"
#include "core/train/train_events.h"

namespace fewdata {

struct FeatureCache;

void runSiamese(const TrainConfig& config, const FeatureCache& cache, const EpochSink& sink,
                const std::atomic<bool>* cancel, RunResult& result);

inline StageKind siameseStage(const TrainConfig& c) {
    return c.siamese_input == "features" ? StageKind::Features : StageKind::Images;
}

// On features: the embedding epochs, then the classifier's; on images the classifier's only.
inline int siameseLaterEpochs(const TrainConfig& c) {
    return (c.siamese_input == "features" ? c.embedding_epochs : 0) + c.classifier_epochs;
}

}  // namespace fewdata
