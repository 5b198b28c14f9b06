// The graph the GNN sees, prepared for drawing: nodes from a run's feature cache (its
// training and validation images and a share of its test images), edges from the engine's
// similarityGraph at a chosen multiple of the mean distance (or each node's k nearest
// neighbours, as gnn_graph = knn), and a force-directed layout from igraph. Built on a worker
// thread; the view only draws it.
#pragma once

#include <torch/torch.h>

#include <QImage>
#include <QPointF>
#include <QString>
#include <vector>

#include "core/train/feature_cache.h"
#include "core/methods/feature_methods.h"

namespace fewdata {

enum class GraphKind {
    // The engine's similarityGraph at thresholdScale x the mean distance: what the GCN
    // trains on by default (at scale 1). At the mean distance it links most pairs, so its
    // layout of a weak run is one band.
    Threshold,
    // Each node linked to its k nearest neighbours by feature distance, symmetrised (an edge
    // where either node is among the other's k nearest): the engine's knnEdges, the graph the
    // GCN trains on with gnn_graph = knn. It shows class structure the dense threshold graph
    // hides.
    Knn,
};

struct GraphRequest {
    GraphKind kind = GraphKind::Threshold;
    int k = 10;                   // neighbours per node for GraphKind::Knn
    int testNodes = 500;          // test images added to train + val (0: none)
    int featureDims = 0;          // the first this many feature dimensions; 0: all
    double thresholdScale = 1.0;  // edge iff distance <= scale x mean distance (1: the paper)
    int maxDrawnEdges = 20000;    // the strongest edges drawn; all are counted
    uint64_t seed = 0;            // the layout's start
};

struct GraphEdge {
    int a = 0, b = 0;
    float weight = 0;  // 1 / distance, scaled to [0, 1] over the drawn edges
};

struct GraphData {
    GraphKind kind = GraphKind::Threshold;
    int k = 0;                    // GraphKind::Knn: the k used (at most nodes - 1)
    double thresholdScale = 1.0;  // GraphKind::Threshold: the scale used
    int64_t testNodes = 0;        // test images among the nodes
    int64_t testAvailable = 0;    // test images in the feature cache
    int64_t classes = 0;          // the run's classes (its logits' width)
    GraphStats stats;             // the engine's figures (countGraph) of the graph shown
    double sameClassShare = 0;                 // share of all edges joining two images of one class
    std::vector<int64_t> labels, predictions;  // the CNN's prediction from the cached logits
    std::vector<int> split;                    // 0 train, 1 val, 2 test
    std::vector<int> degree;
    std::vector<GraphEdge> drawn;  // each node's strongest edges
    std::vector<QPointF> positions;
    std::vector<QImage> thumbnails;  // per node where the run's images could be read
};

GraphData buildGraph(const FeatureCache& cache, const GraphRequest& request);

// Thumbnails of the graph's nodes (train, val, then the first test images, as buildGraph
// orders them) from the run folder's manifest and its dataset; empty when they cannot be read.
std::vector<QImage> nodeThumbnails(const std::string& runDir, size_t nodes, int side);

}  // namespace fewdata
