// The GCN over the image-similarity graph (the paper's Section 3.4) and the graph itself, which
// the Graph page draws too.
#pragma once

#include <atomic>
#include <string>

#include "core/config/config.h"
#include "core/train/train_events.h"

namespace at {
class Tensor;
}

namespace fewdata {

struct FeatureCache;

// Simulates the paper's transductive setting on the cache's nodes (gnn_classes,
// gnn_feature_dims, gnn_max_nodes), trains the reference MLP and then the GCN, and reports the
// CNN's own accuracy on the same test nodes beside them.
void runGnn(const TrainConfig& config, const FeatureCache& cache, const EpochSink& sink,
            const std::atomic<bool>* cancel, RunResult& result);

struct GraphStats {
    int64_t nodes = 0;
    int64_t edges = 0;  // undirected, without self loops
    double meanDistance = 0;
    int64_t isolatedNodes = 0;
};

// Each node's k nearest other nodes by `distances` [n, n], symmetrised: an edge where either
// node is among the other's k nearest, so every node has degree >= k (1 <= k < n). Bool [n, n],
// no self-loops.
at::Tensor knnEdges(const at::Tensor& distances, int64_t k);

// The mean of `distances` [n, n] over all pairs i != j (the paper's d_avg).
double meanDistance(const at::Tensor& distances);

// Nodes, undirected edges and isolated nodes of `edges` (bool [n, n], symmetric), with the
// graph's mean distance as given.
GraphStats countGraph(const at::Tensor& edges, double meanDistance);

// The paper's graph (eq. 6 to 9): d_ij = ||v_i - v_j||, an edge iff d_ij <= the mean distance
// over all pairs i != j, weight 1 / d_ij, each row divided by its sum ("row"); or Kipf and
// Welling's D^-1/2 (W + I) D^-1/2 over the same weights ("symmetric"). Dense [n, n].
// `thresholdScale` moves the edge threshold to that multiple of the mean distance (the graph
// viewer's slider; 1 is the paper's graph). "row" has no self-loops, as eq. 9 is printed: it
// is the graph the viewer draws, not what the GCN propagates over (gcnPropagation).
at::Tensor similarityGraph(const at::Tensor& features, const std::string& normalization,
                           GraphStats* stats = nullptr, double thresholdScale = 1.0);

// What the GCN multiplies by: the same weights W plus self-loops, Kipf and Welling's
// renormalisation, then D^-1 (W + I) ("row") or D^-1/2 (W + I) D^-1/2 ("symmetric"), D the row
// sums of W + I. Without the self-loop a node's own features reach its output only through its
// neighbours, and a node without any scores 0 for every class (class 0 wins the arg-max).
// `neighbours` > 0 keeps the weights 1 / d_ij but takes the edges from knnEdges instead of the
// mean-distance threshold (gnn_graph = knn; not the paper's).
at::Tensor gcnPropagation(const at::Tensor& features, const std::string& normalization,
                          GraphStats* stats = nullptr, int64_t neighbours = 0);

}  // namespace fewdata
