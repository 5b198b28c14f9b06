#include "core/train/feature_training.h"

#include <chrono>

#include "core/train/model_selection.h"
#include "core/train/predictions.h"
#include "core/train/schedule.h"
#include "core/model/weight_snapshot.h"

namespace fewdata {

Standardizer Standardizer::fit(const torch::Tensor& x) {
    // A feature that is constant over the training rows (a dead ReLU) must not divide by 0.
    return {x.mean(0), x.std(0, /*unbiased=*/false).clamp_min(1e-6)};
}

torch::Tensor Standardizer::apply(const torch::Tensor& x) const {
    return (x - mean) / std;
}

FeatureTrainOptions FeatureTrainOptions::fromConfig(const TrainConfig& c, int epochs,
                                                    std::string stage, int epochOffset) {
    FeatureTrainOptions o;
    o.epochs = epochs;
    o.batchSize = c.batch_size;
    o.lr = c.lr;
    o.momentum = c.momentum;
    o.weightDecay = c.weight_decay;
    o.nesterov = c.nesterov && c.momentum > 0;
    const TrainConfig stretched = stageSchedule(c, epochs);
    o.schedule = stretched.schedule;
    o.stepEpochs = stretched.step_epochs;
    o.stepGamma = stretched.step_gamma;
    o.warmupEpochs = stretched.warmup_epochs;
    o.stage = std::move(stage);
    o.epochOffset = epochOffset;
    return o;
}

double accuracyOf(torch::nn::Sequential& model, const Rows& rows) {
    if (rows.y.numel() == 0) return 0;
    torch::NoGradGuard guard;
    model->eval();
    return 100.0 *
           model->forward(rows.x).argmax(1).eq(rows.y).to(torch::kFloat64).mean().item<double>();
}

FeatureFit fitClassifier(torch::nn::Sequential& model, const Rows& train, const Rows& val,
                         const Rows& test, const FeatureTrainOptions& o, const EpochSink& sink,
                         const std::atomic<bool>* cancel) {
    namespace F = torch::nn::functional;
    TrainConfig schedule;  // only the schedule's fields are read
    schedule.lr = o.lr;
    schedule.epochs = o.epochs;
    schedule.schedule = o.schedule;
    schedule.step_epochs = o.stepEpochs;
    schedule.step_gamma = o.stepGamma;
    schedule.warmup_epochs = o.warmupEpochs;
    torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(o.lr)
                                                         .momentum(o.momentum)
                                                         .nesterov(o.nesterov)
                                                         .weight_decay(o.weightDecay));
    const int64_t n = train.y.size(0);
    const int64_t batch = std::min<int64_t>(o.batchSize, n);
    const int64_t batches = (n + batch - 1) / batch;
    FeatureFit fit;
    WeightSnapshot best;
    BestEpoch selection;
    for (int epoch = 1; epoch <= o.epochs; ++epoch) {
        const auto t0 = std::chrono::steady_clock::now();
        model->train();
        const auto perm = torch::randperm(n, torch::kInt64);
        double lossSum = 0, correct = 0;
        for (int64_t b = 0; b < batches; ++b) {
            if (cancel && cancel->load()) throw Cancelled();
            const double lr = scheduledLearningRate(schedule, (epoch - 1) + double(b) / batches);
            for (auto& g : optimizer.param_groups())
                static_cast<torch::optim::SGDOptions&>(g.options()).lr(lr);
            const auto idx = perm.narrow(0, b * batch, std::min(batch, n - b * batch));
            const auto y = train.y.index_select(0, idx);
            model->zero_grad(true);
            const auto out = model->forward(train.x.index_select(0, idx));
            const auto loss = F::cross_entropy(out, y);
            const double value = loss.item<double>();
            checkFinite(value, o.stage + " epoch " + std::to_string(epoch), lr);
            loss.backward();
            optimizer.step();
            ++fit.steps;
            lossSum += value * idx.numel();
            correct += out.argmax(1).eq(y).sum().item<double>();
        }
        EpochMetrics m;
        m.epoch = o.epochOffset + epoch;
        m.stage = o.stage;
        m.trainLoss = lossSum / n;
        m.trainAccuracy = 100.0 * correct / n;
        m.lr = scheduledLearningRate(schedule, epoch - 1);
        {
            torch::NoGradGuard guard;
            model->eval();
            const auto out = model->forward(val.x);
            m.valLoss = val.y.numel() ? F::cross_entropy(out, val.y).item<double>() : 0.0;
            m.valAccuracy = accuracyOf(model, val);
        }
        m.best = selection.offer(epoch, m.valAccuracy, m.valLoss);
        if (m.best) {
            fit.bestEpoch = epoch;
            best = WeightSnapshot::of({model.ptr().get()});
        }
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        m.seconds = seconds;
        m.imagesPerSecond = n / std::max(1e-9, seconds);
        fit.valAccuracyLast = m.valAccuracy;
        if (sink) sink(m);
    }
    fit.testAccuracyLast = accuracyOf(model, test);
    best.restoreTo({model.ptr().get()});
    fit.valAccuracy = selection.accuracy();
    fit.testAccuracy = accuracyOf(model, test);
    {
        torch::NoGradGuard guard;
        model->eval();
        const auto out = model->forward(test.x);
        fit.testConfusion = confusionMatrix(test.y, out.argmax(1), out.size(1));
        fit.predictions = {splitPredictions(model->forward(train.x), train.y),
                           splitPredictions(model->forward(val.x), val.y),
                           splitPredictions(out, test.y, {}, {}, true)};
    }
    return fit;
}

void takeFit(const FeatureFit& fit, int epochOffset, RunResult& result) {
    result.valAccuracy = fit.valAccuracy;
    result.testAccuracy = fit.testAccuracy;
    result.valAccuracyLast = fit.valAccuracyLast;
    result.testAccuracyLast = fit.testAccuracyLast;
    result.bestEpoch = epochOffset + fit.bestEpoch;
    result.stepsCompleted += fit.steps;
    result.testConfusion = fit.testConfusion;
    result.predictions = fit.predictions;
}

}  // namespace fewdata
