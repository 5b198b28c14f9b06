// The methods that learn on a baseline's cached features (METHODS.md): the Siamese embedding
// networks (contrastive, triplet) followed by a linear classifier, Reptile meta-learning
// followed by an MLP initialised from the meta-weights, and the GCN over the image-similarity
// graph with its reference classifiers on the same nodes.
#pragma once

#include <atomic>

#include "core/config.h"
#include "core/feature_cache.h"
#include "core/feature_training.h"
#include "core/train_events.h"

namespace fewdata {

// Runs config.method on `cache`; fills the accuracies, steps and figures of `result`.
void runFeatureMethod(const TrainConfig& config, const FeatureCache& cache, const EpochSink& sink,
                      const std::atomic<bool>* cancel, RunResult& result);

// Reptile reports its meta-training as about twenty pseudo-epochs of iterations each.
int reptileReportInterval(int iterations);
int reptileReports(int iterations);

// Reptile's meta update: phi + epsilon (mean over tasks of phi'_t - phi).
std::vector<torch::Tensor> reptileMetaUpdate(const std::vector<torch::Tensor>& phi,
                                             const std::vector<std::vector<torch::Tensor>>& adapted,
                                             double epsilon);

struct GraphStats {
    int64_t nodes = 0;
    int64_t edges = 0;  // undirected, without self loops
    double meanDistance = 0;
    int64_t isolatedNodes = 0;
};

// The paper's graph (eq. 6 to 9): d_ij = ||v_i - v_j||, an edge iff d_ij <= the mean distance
// over all pairs i != j, weight 1 / d_ij, each row divided by its sum ("row"); or Kipf and
// Welling's D^-1/2 (W + I) D^-1/2 over the same weights ("symmetric"). Dense [n, n].
// `thresholdScale` moves the edge threshold to that multiple of the mean distance (the graph
// viewer's slider; 1 is the paper's graph).
torch::Tensor similarityGraph(const torch::Tensor& features, const std::string& normalization,
                              GraphStats* stats = nullptr, double thresholdScale = 1.0);

}  // namespace fewdata
