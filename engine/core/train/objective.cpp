#include "core/train/objective.h"

#include "core/base/errors.h"
#include "core/train/fast_path.h"

namespace fewdata {

MixedBatch unmixed(const torch::Tensor& images, const torch::Tensor& labels) {
    MixedBatch b;
    b.images = images;
    b.labelsA = labels;
    b.labelsB = labels;
    return b;
}

EvalData evalDataFor(const TrainConfig& c, const AugmentOptions& augment,
                     const Normalizer& normalizer, const torch::Device& device,
                     const std::atomic<bool>* cancel) {
    EvalData d{&augment, &normalizer, c.eval_batch_size, device, cancel};
    d.channelsLast = c.channels_last;
    d.bf16 = resolvePrecision(c.precision, device) == "bf16";
    d.ttaFlip = c.tta_flip;
    return d;
}

torch::Tensor evalInput(const torch::Tensor& images, int64_t start, int64_t len,
                        const EvalData& d) {
    return inLayout(
        d.normalizer->apply(
            evalView(images.narrow(0, start, len).to(d.device, /*non_blocking=*/true), *d.augment)),
        d.channelsLast);
}

torch::Tensor evalFeatures(ResNet& model, const torch::Tensor& images, int64_t start, int64_t len,
                           const EvalData& d) {
    const auto x = evalInput(images, start, len, d);
    auto f = model->features(x);
    if (d.ttaFlip) f = (f + model->features(x.flip({3}))) * 0.5;
    return f;
}

Features extractFeatures(ResNet& model, const torch::Tensor& images, const EvalData& d) {
    torch::NoGradGuard guard;
    model->eval();
    std::vector<torch::Tensor> feats, logits;
    for (int64_t start = 0; start < images.size(0); start += d.batchSize) {
        if (d.cancel && d.cancel->load()) throw Cancelled();
        const int64_t len = std::min<int64_t>(d.batchSize, images.size(0) - start);
        torch::Tensor f, z;
        {
            AutocastScope autocast(d.device, d.bf16);
            f = evalFeatures(model, images, start, len, d);
            z = model->classify(f);
        }
        feats.push_back(f.to(torch::kCPU, torch::kFloat32));
        logits.push_back(z.to(torch::kCPU, torch::kFloat32));
    }
    if (feats.empty())
        return {torch::zeros({0, model->featureDim()}),
                torch::zeros({0, model->options().numClasses})};
    return {torch::cat(feats), torch::cat(logits)};
}

}  // namespace fewdata
