// Objectives whose network output is a class score: cross-entropy (with MixUp or CutMix), the
// cosine loss, and the cosine loss with a 0.1-weighted cross-entropy head.
#include "core/train/batch_stream.h"
#include "core/train/fast_path.h"
#include "core/model/losses.h"
#include "core/train/objectives.h"

namespace fewdata {
namespace {

namespace F = torch::nn::functional;

class ClassifyObjective : public Objective {
public:
    ClassifyObjective(const ObjectiveContext& x, ClassifyLoss loss, MixOptions mix)
        : loss_(loss),
          labelSmoothing_(x.config.label_smoothing),
          ceWeight_(x.config.cosine_ce_weight),
          augment_(x.augment),
          normalizer_(x.normalizer),
          mix_(std::move(mix)) {
        const int64_t numClasses = x.numClasses;
        // Barz & Denzler: ReLU, BatchNorm, Linear on the unit output
        if (loss_ == ClassifyLoss::CosineWithCrossEntropy && x.withHeads)
            ceHead_ = torch::nn::Sequential(torch::nn::ReLU(), torch::nn::BatchNorm1d(numClasses),
                                            torch::nn::Linear(numClasses, numClasses));
    }

    std::vector<torch::nn::Module*> heads() override {
        if (ceHead_) return {ceHead_.ptr().get()};
        return {};
    }
    bool classifies() const override { return true; }

    TrainBatch prepare(const torch::Tensor& batch, const torch::Tensor& labels,
                       at::Generator& generator) const override {
        TrainBatch b;
        b.mixed = formClassifyBatch(batch, labels, augment_, normalizer_, mix_, generator);
        b.inputs = b.mixed.images;
        b.labels = labels;
        return b;
    }

    StepOutput step(ResNet& model, const TrainBatch& b) override {
        auto out = model->forward(b.inputs);
        StepOutput s;
        s.loss = loss_ != ClassifyLoss::CrossEntropy ? cosineLosses(out, b.labels)
                                                 : mixedCrossEntropy(out, b.mixed, labelSmoothing_);
        const auto predicted = out.argmax(1);
        s.correct = b.mixed.lambda * predicted.eq(b.mixed.labelsA).sum().item<double>();
        if (b.mixed.mixed)
            s.correct +=
                (1.0 - b.mixed.lambda) * predicted.eq(b.mixed.labelsB).sum().item<double>();
        return s;
    }

    EvalResult evaluate(ResNet& model, const torch::Tensor& images, const torch::Tensor& labels,
                        const EvalData& d) override {
        EvalResult r;
        const int64_t n = images.size(0);
        if (n == 0) return r;
        torch::NoGradGuard guard;
        double lossSum = 0;
        int64_t correct = 0;
        std::vector<torch::Tensor> predicted, features, logits;
        for (int64_t start = 0; start < n; start += d.batchSize) {
            if (d.cancel && d.cancel->load()) throw Cancelled();
            const int64_t len = std::min<int64_t>(d.batchSize, n - start);
            auto y = labels.narrow(0, start, len).to(d.device);
            torch::Tensor f, out;
            {
                AutocastScope autocast(d.device, d.bf16);
                f = evalFeatures(model, images, start, len, d).to(torch::kFloat32);
                out = model->classify(f).to(torch::kFloat32);
            }
            features.push_back(f.to(torch::kCPU));
            logits.push_back(out.to(torch::kCPU));
            const auto meanLoss =
                loss_ != ClassifyLoss::CrossEntropy ? cosineLosses(out, y) : F::cross_entropy(out, y);
            lossSum += meanLoss.item<double>() * static_cast<double>(len);
            predicted.push_back(out.argmax(1));
            correct += predicted.back().eq(y).sum().item<int64_t>();
        }
        r.predictions = torch::cat(predicted).to(torch::kCPU);
        r.features = torch::cat(features);
        r.logits = torch::cat(logits);
        r.loss = lossSum / static_cast<double>(n);
        r.accuracy = 100.0 * static_cast<double>(correct) / static_cast<double>(n);
        return r;
    }

private:
    torch::Tensor cosineLosses(const torch::Tensor& out, const torch::Tensor& labels) {
        return ceHead_ ? cosineWithCrossEntropy(out, labels, ceHead_, ceWeight_)
                       : cosineLoss(out, labels);
    }

    ClassifyLoss loss_;
    double labelSmoothing_, ceWeight_;
    AugmentOptions augment_;
    Normalizer normalizer_;
    MixOptions mix_;
    torch::nn::Sequential ceHead_{nullptr};
};

}  // namespace

std::unique_ptr<Objective> makeClassifyObjective(const ObjectiveContext& x, ClassifyLoss loss,
                                                 const MixOptions& mix) {
    return std::make_unique<ClassifyObjective>(x, loss, mix);
}

}  // namespace fewdata
