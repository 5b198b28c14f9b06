// Pair and triplet sampling for the Siamese losses. Pairs are balanced, half same-class and
// half different-class, because with more classes than images per class random pairs are
// almost all negative (the paper's weak point). Draws use `generator` when given, else
// LibTorch's global one, so a seeded run repeats.
#pragma once

#include <torch/torch.h>

namespace fewdata {

struct Pairs {
    torch::Tensor first, second;  // int64 row indices
    torch::Tensor same;           // float 1 same class, 0 different
};

// One pair per row i of `labels` (int64, CPU): with probability 1/2 a partner of the same
// class (when the class has another row), else one of another class (when there is one).
Pairs balancedPairs(const torch::Tensor& labels,
                    c10::optional<at::Generator> generator = c10::nullopt);

struct Triplets {
    torch::Tensor anchor, positive, negative;  // int64 row indices
};

// One triplet per row that has both a same-class partner and a row of another class.
Triplets randomTriplets(const torch::Tensor& labels,
                        c10::optional<at::Generator> generator = c10::nullopt);

}  // namespace fewdata
