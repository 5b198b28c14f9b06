// gnn: a two-layer GCN (Kipf and Welling) over the image-similarity graph of a baseline's
// cached features, with an MLP and the CNN's own predictions on the same nodes as references.
#include "core/methods/gnn.h"
#include "core/methods/registry.h"

namespace fewdata {
namespace {

int gnnLaterEpochs(const TrainConfig& c) {
    return 2 * c.gnn_epochs;  // the reference MLP, then the GCN
}

}  // namespace

void registerMethod_gnn(MethodRegistry& registry) {
    MethodInfo m;
    m.name = "gnn";
    m.description =
        "A GCN over the image-similarity graph of a baseline's cached features (transductive)";
    m.kind = StageKind::Features;
    m.keys = {"gnn_normalization", "gnn_graph",        "gnn_neighbours",   "gnn_hidden",
              "gnn_dropout",       "gnn_lr",           "gnn_weight_decay", "gnn_epochs",
              "gnn_classes",       "gnn_feature_dims", "gnn_max_nodes",    "features_from"};
    m.laterEpochs = &gnnLaterEpochs;
    m.transductive = true;
    m.featureBudgetKey = "gnn_epochs";
    m.features = FEWDATA_FACTORY(runGnn);
    registry.add(std::move(m));
}

}  // namespace fewdata
