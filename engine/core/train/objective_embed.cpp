// Objectives that train the encoder's representation only: supervised contrastive learning on
// two augmented views, and the Siamese contrastive or triplet loss on pairs drawn within the
// batch. Until a classifier is fitted, a split is evaluated by the nearest class mean of the
// normalised training features, so the best epoch can still be chosen on validation.
#include "core/model/losses.h"
#include "core/train/objectives.h"
#include "core/train/pair_sampling.h"

namespace fewdata {
namespace {

namespace F = torch::nn::functional;

torch::Tensor unit(const torch::Tensor& x) {
    return F::normalize(x, F::NormalizeFuncOptions().dim(1).eps(1e-12));
}

class EmbeddingObjective : public Objective {
public:
    EmbeddingObjective(const ObjectiveContext& x, EmbeddingLoss loss)
        : c_(x.config), loss_(loss), augment_(x.augment), normalizer_(x.normalizer) {
        const TrainConfig& c = x.config;
        const int64_t featureDim = x.featureDim;
        if (!x.withHeads) return;
        const int64_t out = loss_ == EmbeddingLoss::SupCon ? c.projection_dim : c.embedding_dim;
        projection_ = torch::nn::Sequential(torch::nn::Linear(featureDim, featureDim),
                                            torch::nn::ReLU(), torch::nn::Linear(featureDim, out));
    }

    std::vector<torch::nn::Module*> heads() override {
        if (projection_) return {projection_.ptr().get()};
        return {};
    }
    bool classifies() const override { return false; }

    TrainBatch prepare(const torch::Tensor& batch, const torch::Tensor& labels,
                       at::Generator& generator) const override {
        TrainBatch b;
        b.labels = labels;
        const auto first = normalizer_.apply(augmentTrainBatch(batch, augment_, generator));
        b.mixed = unmixed(first, labels);
        if (loss_ == EmbeddingLoss::SupCon) {
            // Both views in one forward pass, as SupContrast does (batch norm sees both).
            b.inputs = torch::cat(
                {first, normalizer_.apply(augmentTrainBatch(batch, augment_, generator))});
            return b;
        }
        b.inputs = first;
        const auto dev = batch.device();
        if (loss_ == EmbeddingLoss::Contrastive) {
            const Pairs p = balancedPairs(labels, generator);
            b.picks = {p.first.to(dev), p.second.to(dev), p.same.to(dev)};
        } else {
            const Triplets t = randomTriplets(labels, generator);
            b.picks = {t.anchor.to(dev), t.positive.to(dev), t.negative.to(dev)};
        }
        return b;
    }

    StepOutput step(ResNet& model, const TrainBatch& b) override {
        StepOutput s;
        auto z = unit(projection_->forward(model->features(b.inputs)));
        if (loss_ == EmbeddingLoss::SupCon) {
            s.loss = supConLoss(z, torch::cat({b.labels, b.labels}), c_.supcon_temperature,
                                c_.supcon_temperature);
        } else if (loss_ == EmbeddingLoss::Contrastive) {
            s.loss = contrastiveLoss(z.index_select(0, b.picks[0]), z.index_select(0, b.picks[1]),
                                     b.picks[2], c_.contrastive_margin);
        } else {
            // A batch of one class has no triplet: a zero loss that still has a graph.
            s.loss = b.picks[0].numel() == 0
                         ? z.sum() * 0.0
                         : tripletLoss(z.index_select(0, b.picks[0]), z.index_select(0, b.picks[1]),
                                       z.index_select(0, b.picks[2]), c_.triplet_margin);
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
        const Features raw = extractFeatures(model, images, d);
        r.features = raw.features;
        r.logits = raw.logits;
        const auto f = unit(raw.features);
        const auto sims = torch::matmul(f, centroids_.t());
        const auto y = labels.to(torch::kCPU).view({-1, 1});
        r.loss = (1.0 - sims.gather(1, y)).mean().item<double>();
        r.accuracy =
            100.0 * sims.argmax(1).eq(y.view(-1)).to(torch::kFloat64).mean().item<double>();
        return r;
    }

private:
    TrainConfig c_;
    EmbeddingLoss loss_;
    AugmentOptions augment_;
    Normalizer normalizer_;
    torch::nn::Sequential projection_{nullptr};
    torch::Tensor centroids_;
};

}  // namespace

std::unique_ptr<Objective> makeEmbeddingObjective(const ObjectiveContext& x, EmbeddingLoss loss) {
    return std::make_unique<EmbeddingObjective>(x, loss);
}

}  // namespace fewdata
