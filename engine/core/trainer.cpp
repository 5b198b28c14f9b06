#include "core/trainer.h"

#include <chrono>
#include <cmath>
#include <sstream>

#include "core/mixing.h"
#include "core/run_folder.h"

namespace fewdata {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// A copy of every parameter and buffer, to restore the best epoch's weights after training.
struct Snapshot {
    std::vector<torch::Tensor> tensors;
    static Snapshot take(torch::nn::Module& m) {
        Snapshot s;
        torch::NoGradGuard guard;
        for (const auto& p : m.parameters()) s.tensors.push_back(p.detach().clone());
        for (const auto& b : m.buffers()) s.tensors.push_back(b.detach().clone());
        return s;
    }
    void restore(torch::nn::Module& m) const {
        torch::NoGradGuard guard;
        size_t i = 0;
        for (auto& p : m.parameters()) p.copy_(tensors.at(i++));
        for (auto& b : m.buffers()) b.copy_(tensors.at(i++));
    }
};

double scheduleWithoutWarmup(const TrainConfig& c, double progress) {
    if (c.schedule == "step")  // the VIPriors toolkit: lr * gamma^(epoch // step_epochs)
        return c.lr * std::pow(c.step_gamma, std::floor(std::floor(progress) / c.step_epochs));
    const double t = std::min(1.0, std::max(0.0, progress / c.epochs));
    return 0.5 * c.lr * (1.0 + std::cos(M_PI * t));
}

}  // namespace

double scheduledLearningRate(const TrainConfig& c, double progress) {
    // A linear warm-up keeps the first steps of a from-scratch network from blowing up.
    const double warm = c.warmup_epochs > 0 ? std::min(1.0, progress / c.warmup_epochs) : 1.0;
    return warm * scheduleWithoutWarmup(c, progress);
}

EvalResult evaluate(ResNet& model, const torch::Tensor& images, const torch::Tensor& labels,
                    const AugmentOptions& augment, const Normalizer& norm, int batchSize,
                    const torch::Device& device, const std::atomic<bool>* cancel) {
    EvalResult r;
    const int64_t n = images.size(0);
    if (n == 0) return r;
    torch::NoGradGuard guard;
    model->eval();
    double lossSum = 0;
    int64_t correct = 0;
    for (int64_t start = 0; start < n; start += batchSize) {
        if (cancel && cancel->load()) throw Cancelled();
        const int64_t len = std::min<int64_t>(batchSize, n - start);
        auto x = norm.apply(evalView(images.narrow(0, start, len).to(device), augment));
        auto y = labels.narrow(0, start, len).to(device);
        auto logits = model->forward(x);
        lossSum +=
            torch::nn::functional::cross_entropy(
                logits, y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                .item<double>();
        correct += logits.argmax(1).eq(y).sum().item<int64_t>();
    }
    r.loss = lossSum / static_cast<double>(n);
    r.accuracy = 100.0 * static_cast<double>(correct) / static_cast<double>(n);
    return r;
}

Trainer::Trainer(ResNet model, TrainerInputs inputs)
    : model_(std::move(model)), in_(std::move(inputs)) {}

void Trainer::run(const ProtocolSplits& splits, TrainListener* listener,
                  const std::atomic<bool>* cancel, RunFolder* folder, RunResult& result) {
    const TrainConfig& c = in_.config;
    const auto t0 = Clock::now();
    model_->to(in_.device);
    // Small data fits on the device: move the uint8 cache once instead of every batch.
    const auto trainImages = splits.train.images.to(in_.device);
    const auto trainLabels = splits.train.labels.to(in_.device);
    const int64_t n = trainImages.size(0);
    TORCH_CHECK(n >= 2, "the training split needs at least 2 images");
    const int64_t batch = std::min<int64_t>(c.batch_size, n);
    // A last batch of one sample breaks batch normalisation, so it is dropped.
    const int64_t batchesPerEpoch = n / batch + ((n % batch) >= 2 ? 1 : 0);

    torch::optim::SGD optimizer(model_->parameters(), torch::optim::SGDOptions(c.lr)
                                                          .momentum(c.momentum)
                                                          .nesterov(c.nesterov && c.momentum > 0)
                                                          .weight_decay(c.weight_decay));
    auto setLr = [&](double lr) {
        for (auto& group : optimizer.param_groups())
            static_cast<torch::optim::SGDOptions&>(group.options()).lr(lr);
    };

    Snapshot best;
    double bestVal = -1, bestValLoss = 0;
    for (int epoch = 1; epoch <= c.epochs; ++epoch) {
        const auto epochStart = Clock::now();
        model_->train();
        const double epochLr = scheduledLearningRate(c, epoch - 1);
        auto perm = torch::randperm(n, torch::kInt64).to(in_.device);
        double lossSum = 0;
        double correct = 0;  // fractional under mixing: lambda for label A, 1 - lambda for B
        int64_t seen = 0;
        auto lastReport = Clock::now();
        for (int64_t b = 0; b < batchesPerEpoch; ++b) {
            if (cancel && cancel->load()) throw Cancelled();
            const int64_t start = b * batch;
            const int64_t len = std::min(batch, n - start);
            auto idx = perm.narrow(0, start, len);
            auto x = in_.normalizer.apply(
                augmentTrainBatch(trainImages.index_select(0, idx), in_.augment));
            const MixedBatch mixed = mixBatch(x, trainLabels.index_select(0, idx), in_.mix);
            const double lr = scheduledLearningRate(c, (epoch - 1) + double(b) / batchesPerEpoch);
            setLr(lr);
            model_->zero_grad(/*set_to_none=*/true);  // not optimizer.zero_grad(): 1.13 fills zeros
            auto logits = model_->forward(mixed.images);
            auto loss = mixedCrossEntropy(logits, mixed, c.label_smoothing);
            const double lossValue = loss.item<double>();
            if (!std::isfinite(lossValue)) {
                std::ostringstream os;
                os << "training diverged: the loss became " << lossValue << " at epoch " << epoch
                   << ", batch " << (b + 1) << " (learning rate " << lr << "); try a smaller --lr";
                throw TrainingDiverged(os.str());
            }
            loss.backward();
            optimizer.step();
            ++result.stepsCompleted;
            lossSum += lossValue * len;
            const auto predicted = logits.argmax(1);
            correct += mixed.lambda * predicted.eq(mixed.labelsA).sum().item<double>();
            if (mixed.mixed)
                correct += (1.0 - mixed.lambda) * predicted.eq(mixed.labelsB).sum().item<double>();
            seen += len;
            // Throttled to five a second, but the first and last batch always report.
            if (listener &&
                (b == 0 || b + 1 == batchesPerEpoch || secondsSince(lastReport) > 0.2)) {
                lastReport = Clock::now();
                listener->batch({epoch, int(b + 1), int(batchesPerEpoch), lossValue,
                                 seen / std::max(1e-9, secondsSince(epochStart))});
            }
        }
        const double trainSeconds = secondsSince(epochStart);
        const EvalResult val = evaluate(model_, splits.val.images, splits.val.labels, in_.augment,
                                        in_.normalizer, c.eval_batch_size, in_.device, cancel);

        EpochMetrics m;
        m.epoch = epoch;
        m.trainLoss = lossSum / seen;
        m.trainAccuracy = 100.0 * correct / seen;
        m.valLoss = val.loss;
        m.valAccuracy = val.accuracy;
        m.lr = epochLr;
        m.imagesPerSecond = seen / std::max(1e-9, trainSeconds);
        // Ties in validation accuracy are common with few images; the lower loss breaks them.
        m.best = val.accuracy > bestVal || (val.accuracy == bestVal && val.loss < bestValLoss);
        if (m.best) {
            bestVal = val.accuracy;
            bestValLoss = val.loss;
            best = Snapshot::take(*model_);
            result.bestEpoch = epoch;
            result.valAccuracy = val.accuracy;
            if (folder) {
                folder->writeCheckpoint("best_model.pt", *model_);
                if (listener) listener->checkpoint(folder->path("best_model.pt"), epoch);
            }
        }
        m.seconds = secondsSince(epochStart);
        result.epochsCompleted = epoch;
        result.valAccuracyLast = val.accuracy;
        if (folder)
            folder->appendMetrics({{"epoch", m.epoch},
                                   {"train_loss", m.trainLoss},
                                   {"train_accuracy", m.trainAccuracy},
                                   {"val_loss", m.valLoss},
                                   {"val_accuracy", m.valAccuracy},
                                   {"lr", m.lr},
                                   {"seconds", m.seconds},
                                   {"images_per_second", m.imagesPerSecond},
                                   {"best", m.best}});
        if (listener) listener->epoch(m);
    }

    const auto& test = splits.test;
    result.testAccuracyLast = evaluate(model_, test.images, test.labels, in_.augment,
                                       in_.normalizer, c.eval_batch_size, in_.device, cancel)
                                  .accuracy;
    if (result.bestEpoch == c.epochs) {
        result.testAccuracy = result.testAccuracyLast;
    } else {
        best.restore(*model_);
        result.testAccuracy = evaluate(model_, test.images, test.labels, in_.augment,
                                       in_.normalizer, c.eval_batch_size, in_.device, cancel)
                                  .accuracy;
    }
    result.seconds = secondsSince(t0);
}

}  // namespace fewdata
