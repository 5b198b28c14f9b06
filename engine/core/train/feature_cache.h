// A trained baseline's penultimate features and logits for every sample of its protocol split,
// written once to the run folder (features.pt) and read back by the two-stage methods: the
// paper's "tabular" trick that makes Siamese, Reptile and GNN training take seconds.
#pragma once

#include <torch/torch.h>

#include <string>

#include "core/train/objective.h"
#include "core/data/protocol.h"

namespace fewdata {

struct LabelledFeatures {
    torch::Tensor x;       // float [N, D] on the CPU
    torch::Tensor logits;  // float [N, classes]: the baseline's own scores
    torch::Tensor y;       // int64 [N]
};

struct FeatureCache {
    LabelledFeatures train, val, test;
    int64_t numClasses() const { return train.logits.size(1); }
    int64_t dim() const { return train.x.size(1); }
};

// `testDone`: the test split's evaluation with these very weights, when it kept its features
// (the trainer's last one), so the test images are not run through the network again.
FeatureCache buildFeatureCache(ResNet& model, const ProtocolSplits& splits, const EvalData& data,
                               const EvalResult* testDone = nullptr);

// Atomic; the file is complete or absent.
void saveFeatureCache(const FeatureCache& cache, const std::string& path);
// Throws InputError naming the file for a missing, unreadable or inconsistent cache.
FeatureCache loadFeatureCache(const std::string& path);

}  // namespace fewdata
