// Model selection as the paper does it, for every training loop (images, feature classifiers,
// Siamese embeddings, GCN): the epoch with the best validation accuracy wins, a tie goes to
// the lower validation loss. And the confusion matrix the chosen weights are reported with.
#pragma once

#include <torch/torch.h>

#include <limits>
#include <vector>

namespace fewdata {

class BestEpoch {
public:
    // Whether this epoch is the new best; a loop without a validation loss passes 0.
    bool offer(int epoch, double valAccuracy, double valLoss = 0);
    // Takes the best of a resumed run's earlier epochs.
    void restore(int epoch, double valAccuracy, double valLoss);
    int epoch() const { return epoch_; }
    double accuracy() const { return accuracy_; }
    double loss() const { return loss_; }

private:
    int epoch_ = 0;
    double accuracy_ = -1;
    double loss_ = 0;
};

// Counts of (truth, prediction) pairs, rows by true class; both int64 [N].
std::vector<std::vector<int64_t>> confusionMatrix(const torch::Tensor& truth,
                                                  const torch::Tensor& predicted, int64_t classes);

}  // namespace fewdata
