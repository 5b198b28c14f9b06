// The graph the GNN sees, prepared for drawing: nodes from a run's feature cache (its
// training and validation images and a share of its test images), edges from the engine's
// similarityGraph at a chosen multiple of the mean distance, and a force-directed layout from
// igraph. Built on a worker thread; the view only draws it.
#pragma once

#include <torch/torch.h>

#include <QImage>
#include <QPointF>
#include <QString>
#include <vector>

#include "core/train/feature_cache.h"
#include "core/methods/feature_methods.h"

namespace fewdata {

struct GraphRequest {
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
    GraphStats stats;                          // the engine's own figures for these nodes
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
