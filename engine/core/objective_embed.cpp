// Objectives that train the encoder's representation only: supervised contrastive learning on
// two augmented views, and the Siamese contrastive or triplet loss on pairs drawn within the
// batch. Until a classifier is fitted, a split is evaluated by the nearest class mean of the
// normalised training features, so the best epoch can still be chosen on validation.
#include "core/losses.h"
#include "core/objective.h"
#include "core/pair_sampling.h"

namespace fewdata {
namespace {

namespace F = torch::nn::functional;

torch::Tensor unit(const torch::Tensor& x) {
    return F::normalize(x, F::NormalizeFuncOptions().dim(1).eps(1e-12));
}

class EmbeddingObjective : public Objective {
public:
    EmbeddingObjective(const TrainConfig& c, AugmentOptions augment, Normalizer normalizer,
                       int64_t featureDim)
        : c_(c), augment_(std::move(augment)), normalizer_(std::move(normalizer)) {
        const int64_t out = c.method == "supcon" ? c.projection_dim : c.embedding_dim;
        projection_ = torch::nn::Sequential(torch::nn::Linear(featureDim, featureDim),
                                            torch::nn::ReLU(), torch::nn::Linear(featureDim, out));
    }

    std::vector<torch::nn::Module*> heads() override { return {projection_.ptr().get()}; }
    bool classifies() const override { return false; }

    StepOutput step(ResNet& model, const torch::Tensor& batch, const torch::Tensor& labels,
                    at::Generator& generator) override {
        StepOutput s;
        if (c_.method == "supcon") {
            // Both views in one forward pass, as SupContrast does (batch norm sees both).
            auto views =
                torch::cat({normalizer_.apply(augmentTrainBatch(batch, augment_, generator)),
                            normalizer_.apply(augmentTrainBatch(batch, augment_, generator))});
            s.inputs = views;
            auto z = unit(projection_->forward(model->features(views)));
            s.loss = supConLoss(z, torch::cat({labels, labels}), c_.supcon_temperature,
                                c_.supcon_temperature);
            return s;
        }
        s.inputs = normalizer_.apply(augmentTrainBatch(batch, augment_, generator));
        auto z = unit(projection_->forward(model->features(s.inputs)));
        const auto dev = z.device();
        if (c_.method == "siamese-contrastive") {
            const Pairs p = balancedPairs(labels, generator);
            s.loss = contrastiveLoss(z.index_select(0, p.first.to(dev)),
                                     z.index_select(0, p.second.to(dev)), p.same.to(dev),
                                     c_.contrastive_margin);
        } else {
            const Triplets t = randomTriplets(labels, generator);
            // A batch of one class has no triplet: a zero loss that still has a graph.
            s.loss = t.anchor.numel() == 0
                         ? z.sum() * 0.0
                         : tripletLoss(z.index_select(0, t.anchor.to(dev)),
                                       z.index_select(0, t.positive.to(dev)),
                                       z.index_select(0, t.negative.to(dev)), c_.triplet_margin);
        }
        return s;
    }

    void prepareEvaluation(ResNet& model, const torch::Tensor& images, const torch::Tensor& labels,
                           const EvalData& d) override {
        const auto f = unit(extractFeatures(model, images, d).features);
        const auto y = labels.to(torch::kCPU);
        const int64_t classes = y.max().item<int64_t>() + 1;
        auto sums = torch::zeros({classes, f.size(1)});
        sums.index_add_(0, y, f);
        centroids_ = unit(sums);
    }

    // Nearest class mean; the loss is the mean of 1 - cos(feature, own class mean).
    EvalResult evaluate(ResNet& model, const torch::Tensor& images, const torch::Tensor& labels,
                        const EvalData& d) override {
        EvalResult r;
        if (images.size(0) == 0) return r;
        TORCH_CHECK(centroids_.defined(), "prepareEvaluation() must come first");
        const auto f = unit(extractFeatures(model, images, d).features);
        const auto sims = torch::matmul(f, centroids_.t());
        const auto y = labels.to(torch::kCPU).view({-1, 1});
        r.loss = (1.0 - sims.gather(1, y)).mean().item<double>();
        r.accuracy =
            100.0 * sims.argmax(1).eq(y.view(-1)).to(torch::kFloat64).mean().item<double>();
        return r;
    }

private:
    TrainConfig c_;
    AugmentOptions augment_;
    Normalizer normalizer_;
    torch::nn::Sequential projection_{nullptr};
    torch::Tensor centroids_;
};

}  // namespace

std::unique_ptr<Objective> makeEmbeddingObjective(const TrainConfig& c, const AugmentOptions& a,
                                                  const Normalizer& n, int64_t featureDim) {
    return std::make_unique<EmbeddingObjective>(c, a, n, featureDim);
}

}  // namespace fewdata
