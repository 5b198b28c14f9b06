// The similarity losses of docs/methods.md on batch tensors: Barz & Denzler's cosine loss, the
// Siamese contrastive and triplet losses, and Khosla et al.'s supervised contrastive loss.
#pragma once

#include <torch/torch.h>

namespace fewdata {

// mean over the batch of 1 - <onehot(y), f(x) / ||f(x)||>; `outputs` has one column per class.
torch::Tensor cosineLoss(const torch::Tensor& outputs, const torch::Tensor& labels);

// Barz & Denzler's variant: the cosine loss plus `weight` times the cross-entropy of `head`
// (ReLU, BatchNorm, Linear in the objective) applied to the L2-normalised outputs.
torch::Tensor cosineWithCrossEntropy(const torch::Tensor& outputs, const torch::Tensor& labels,
                                     torch::nn::Sequential& head, double weight);

// Pairs (a_i, b_i) of L2-normalised embeddings, `same` 1 for a same-class pair, 0 otherwise:
// mean of same d^2 + (1 - same) max(0, margin - d)^2 with d the Euclidean distance.
torch::Tensor contrastiveLoss(const torch::Tensor& a, const torch::Tensor& b,
                              const torch::Tensor& same, double margin);

// mean of max(0, d(a, p) - d(a, n) + margin), Euclidean distances.
torch::Tensor tripletLoss(const torch::Tensor& anchor, const torch::Tensor& positive,
                          const torch::Tensor& negative, double margin);

// SupContrast's loss over all rows of `z` (L2-normalised, every view a row) with `labels`:
// mean over anchors of -(tau / tauBase) mean_{p in P(i)} log softmax_{a != i}(z_i . z_a / tau)_p.
// Anchors without a positive are left out of the mean.
torch::Tensor supConLoss(const torch::Tensor& z, const torch::Tensor& labels, double tau,
                         double tauBase);

}  // namespace fewdata
