#include "core/train/trainer.h"

#include <chrono>
#include <cmath>
#include <optional>
#include <sstream>

#include "core/model/weight_snapshot.h"
#include "core/train/batch_loader.h"
#include "core/train/batch_norm_momentum.h"
#include "core/train/batch_stream.h"
#include "core/train/data_parallel.h"
#include "core/train/fast_path.h"
#include "core/train/model_selection.h"
#include "core/train/run_store.h"
#include "core/train/schedule.h"
#include "core/train/sharded_evaluation.h"
#include "core/train/training_state.h"
#include "core/train/weight_average.h"

namespace fewdata {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Rows [begin, end) of a batch whose tensors all have one row per image.
TrainBatch rowsOf(const TrainBatch& b, int64_t begin, int64_t end) {
    TORCH_CHECK(b.picks.empty() && b.inputs.size(0) == b.labels.size(0),
                "data-parallel training needs a loss that is a mean over images");
    TrainBatch r = b;
    r.inputs = b.inputs.slice(0, begin, end);
    r.labels = b.labels.slice(0, begin, end);
    r.mixed.images = r.inputs;
    if (b.mixed.labelsA.defined()) r.mixed.labelsA = b.mixed.labelsA.slice(0, begin, end);
    if (b.mixed.labelsB.defined()) r.mixed.labelsB = b.mixed.labelsB.slice(0, begin, end);
    return r;
}

}  // namespace

Trainer::Trainer(ResNet model, TrainerInputs inputs, Objective& objective)
    : model_(std::move(model)), in_(std::move(inputs)), objective_(objective) {}

void Trainer::run(const ProtocolSplits& splits, TrainListener* listener,
                  const std::atomic<bool>* cancel, RunStore* folder, RunResult& result) {
    const TrainConfig& c = in_.config;
    const auto t0 = Clock::now();
    std::vector<torch::nn::Module*> modules = {model_.ptr().get()};
    for (auto* h : objective_.heads()) modules.push_back(h);
    std::vector<torch::Tensor> parameters;
    for (auto* m : modules) {
        m->to(in_.device);
        for (auto& p : m->parameters()) parameters.push_back(p);
    }
    auto setTraining = [&](bool on) {
        for (auto* m : modules) m->train(on);
    };
    configureDevice(in_.device);
    // Data-parallel ranks stop only at a batch they voted on together: evaluation (which
    // checks a cancel by itself) runs to its end in every rank.
    const EvalData evalData = evalDataFor(c, in_.augment, in_.normalizer, in_.device,
                                          in_.parallel ? nullptr : cancel);
    const bool channelsLast = evalData.channelsLast;
    DataParallel* const dp = in_.parallel;
    // Rank 0 writes and reports; the other ranks read the folder only (to resume).
    RunStore* const writer = dp && dp->rank() != 0 ? nullptr : folder;
    if (dp && dp->rank() != 0) listener = nullptr;
    if (dp) {
        std::vector<torch::Tensor> shared;
        for (auto* m : modules) {
            for (auto& p : m->parameters()) shared.push_back(p);
            for (auto& b : m->buffers()) shared.push_back(b);
        }
        dp->broadcast(shared);
    }
    const bool bf16 = evalData.bf16;
    auto applyLayout = [&] {
        if (channelsLast)
            for (auto* m : modules) toChannelsLast(*m);
    };
    applyLayout();
    // Page-locked on a GPU, so evaluation's batch copies run beside its compute.
    const auto valImages = pinnedFor(splits.val.images, in_.device);
    const auto testImages = pinnedFor(splits.test.images, in_.device);
    auto evaluateSplit = [&](const torch::Tensor& images, const torch::Tensor& labels) {
        setTraining(false);
        objective_.prepareEvaluation(model_, splits.train.images, splits.train.labels, evalData);
        return evaluateSharded(objective_, model_, modules, images, labels, evalData, dp);
    };
    // Small data fits on the device: move the uint8 cache once instead of every batch.
    const auto trainImages = splits.train.images.to(in_.device);
    const auto trainLabels = splits.train.labels.to(in_.device);
    const int64_t n = trainImages.size(0);
    TORCH_CHECK(n >= 2, "the training split needs at least 2 images");
    BatchStream stream = BatchStream::forRun(c, splits.train.labels);
    const int64_t batchesPerEpoch = stream.batchesPerEpoch();

    torch::optim::SGD optimizer(parameters, torch::optim::SGDOptions(c.lr)
                                                .momentum(c.momentum)
                                                .nesterov(c.nesterov && c.momentum > 0)
                                                .weight_decay(c.weight_decay));
    auto setLr = [&](double lr) {
        for (auto& group : optimizer.param_groups())
            static_cast<torch::optim::SGDOptions&>(group.options()).lr(lr);
    };

    WeightSnapshot best;
    BestEpoch selection;
    bool bestIsEma = false;
    BatchNormMomentum bnMomentum(modules, c.bn_momentum, c.bn_cumulative_start);
    std::optional<WeightEma> ema;
    if (c.ema_decay > 0) ema.emplace(modules, c.ema_decay);
    const TrainingStateParts state{modules,     &optimizer, &best, stream.generator(), in_.device,
                                   ema ? &ema->average() : nullptr};
    int firstEpoch = 1;
    double priorSeconds = 0;
    TrainingProgress stoppedIn;  // a checkpoint inside an epoch: where that epoch goes on
    if (folder && in_.resume) {
        int kept = 0;
        if (hasCheckpoint(folder->dir())) {
            const TrainingProgress p = loadTrainingState(folder->dir(), state);
            kept = p.epoch;
            firstEpoch = p.epoch + 1;
            selection.restore(p.bestEpoch, p.bestValAccuracy, p.bestValLoss);
            bestIsEma = p.bestIsEma;
            result.bestEpoch = p.bestEpoch;
            result.valAccuracy = p.bestValAccuracy;
            result.valAccuracyLast = p.valAccuracyLast;
            result.epochsCompleted = p.epoch;
            result.stepsCompleted = p.steps;
            result.resumedFromEpoch = p.epoch;
            result.priorSeconds = p.seconds;
            priorSeconds = p.seconds;
            stoppedIn = p;
            applyLayout();  // the loaded tensors come in the layout they were saved in
        }
        // The epochs after the checkpoint run again; the listener sees the kept ones first.
        if (writer)
            for (const EpochMetrics& m : writer->keepEpochsUpTo(kept))
                if (listener) listener->epoch(m);
    }
    auto lastCheckpoint = Clock::now();
    for (int epoch = firstEpoch; epoch <= c.epochs; ++epoch) {
        const auto epochStart = Clock::now();
        setTraining(true);
        const double epochLr = scheduledLearningRate(c, epoch - 1);
        // A run resumed inside this epoch goes on with its order, after its trained batches.
        const bool goesOn = epoch == firstEpoch && stoppedIn.epochOrder.defined();
        const torch::Tensor cpuOrder = goesOn ? stoppedIn.epochOrder : stream.nextEpochOrder();
        const int64_t firstBatch = goesOn ? stoppedIn.batchInEpoch : 0;
        const auto order = cpuOrder.to(in_.device);
        // Where the batch generator stands after the last batch trained: what a checkpoint
        // between batches keeps (the loader may have formed, and drawn for, later ones).
        torch::Tensor formedState = generatorSnapshot(stream.generator());
        BatchLoader loader(
            [&](int64_t k) {
                const auto idx = stream.batchIndices(order, firstBatch + k);
                TrainBatch batch =
                    objective_.prepare(trainImages.index_select(0, idx),
                                       trainLabels.index_select(0, idx), stream.generator());
                batch.inputs = inLayout(batch.inputs, channelsLast);
                batch.streamState = generatorSnapshot(stream.generator());
                return batch;
            },
            batchesPerEpoch - firstBatch, c.prefetch);
        double lossSum = goesOn ? stoppedIn.partialLoss : 0;
        // fractional under mixing: lambda for label A, 1 - lambda for B
        double correct = goesOn ? stoppedIn.partialCorrect : 0;
        int64_t seen = goesOn ? stoppedIn.partialSeen : 0;
        const int64_t seenBefore = seen;  // rates count this attempt's images only
        auto lastReport = Clock::now();
        // A stopped run (a cancel, the window closed, a signal) can go on from where it
        // stopped: `trained` batches of this epoch done, its evaluation not begun.
        auto checkpointStop = [&](int64_t trained) {
            if (!writer || c.checkpoint_every <= 0) return;
            TrainingProgress p{epoch - 1,
                               result.stepsCompleted,
                               result.bestEpoch,
                               selection.accuracy(),
                               selection.loss(),
                               result.valAccuracyLast,
                               priorSeconds + secondsSince(t0)};
            p.epochOrder = cpuOrder;
            p.batchInEpoch = trained;
            p.partialLoss = lossSum;
            p.partialCorrect = correct;
            p.partialSeen = seen;
            p.streamState = formedState;
            p.bestIsEma = bestIsEma;
            saveTrainingState(folder->dir(), p, state);
        };
        for (int64_t b = firstBatch; b < batchesPerEpoch; ++b) {
            bool stop = cancel && cancel->load();
            // Every rank stops at the same batch when any was asked to.
            if (dp) stop = dp->sum({stop ? 1.0 : 0.0})[0] > 0;
            if (stop) {
                checkpointStop(b);
                throw Cancelled();
            }
            TrainBatch batch = loader.next();
            formedState = batch.streamState;
            const int64_t globalLen = batch.labels.size(0);
            // A last batch too short to give every rank two rows (BatchNorm needs two) is
            // left out by every rank alike: the global batch is the same in all of them.
            if (dp && globalLen < 2 * dp->worldSize()) continue;
            if (dp) {
                const auto [begin, end] = dp->rows(globalLen);
                batch = rowsOf(batch, begin, end);
            }
            const int64_t len = batch.labels.size(0);
            const double lr = scheduledLearningRate(c, (epoch - 1) + double(b) / batchesPerEpoch);
            setLr(lr);
            // not optimizer.zero_grad(): LibTorch 1.13 fills zeros instead of dropping them
            for (auto* m : modules) m->zero_grad(/*set_to_none=*/true);
            bnMomentum.beforeStep(result.stepsCompleted);
            StepOutput out;
            {
                AutocastScope autocast(in_.device, bf16);
                out = objective_.step(model_, batch);
            }
            double lossValue = out.loss.item<double>();
            double batchCorrect = out.correct;
            if (dp) {
                // The global batch's mean loss and right answers, the same in every rank.
                const auto total = dp->sum({lossValue * double(len), out.correct});
                lossValue = total[0] / double(globalLen);
                batchCorrect = total[1];
            }
            checkFinite(lossValue,
                        "epoch " + std::to_string(epoch) + ", batch " + std::to_string(b + 1), lr);
            out.loss.backward();
            if (dp) dp->reduceGradients(parameters, double(len) / double(globalLen));
            optimizer.step();
            ++result.stepsCompleted;
            if (ema) ema->update(result.stepsCompleted);
            lossSum += lossValue * double(globalLen);
            correct += batchCorrect;
            seen += globalLen;
            // Throttled to five a second, but the first and last batch always report.
            if (listener &&
                (b == 0 || b + 1 == batchesPerEpoch || secondsSince(lastReport) > 0.2)) {
                lastReport = Clock::now();
                listener->batch({epoch, int(b + 1), int(batchesPerEpoch), lossValue,
                                 (seen - seenBefore) / std::max(1e-9, secondsSince(epochStart))});
            }
        }
        const double trainSeconds = secondsSince(epochStart);
        // A stop during the epoch's evaluation (it polls the cancel itself) keeps the trained
        // epoch: the resumed run evaluates it again, with the best epoch as it was before.
        const BestEpoch selectionBefore = selection;
        const int bestEpochBefore = result.bestEpoch;
        const double bestValBefore = result.valAccuracy;
        auto stoppedInEvaluation = [&] {
            selection = selectionBefore;
            result.bestEpoch = bestEpochBefore;
            result.valAccuracy = bestValBefore;
            checkpointStop(batchesPerEpoch);
        };
        EvalResult val;
        try {
            val = evaluateSplit(valImages, splits.val.labels);
        } catch (const Cancelled&) {
            stoppedInEvaluation();
            throw;
        }

        EpochMetrics m;
        m.epoch = epoch;
        m.trainLoss = lossSum / seen;
        m.trainAccuracy = objective_.classifies() ? 100.0 * correct / seen : -1.0;
        m.valLoss = val.loss;
        m.valAccuracy = val.accuracy;
        m.lr = epochLr;
        m.imagesPerSecond = (seen - seenBefore) / std::max(1e-9, trainSeconds);
        // Ties in validation accuracy are common with few images; the lower loss breaks them.
        m.best = selection.offer(epoch, val.accuracy, val.loss);
        if (m.best) result.valAccuracy = val.accuracy;
        // The average competes with the raw weights on the same split; a tie keeps the raw.
        std::optional<SwappedWeights> emaIn;
        bool emaWon = false;
        if (ema) {
            emaIn.emplace(modules, ema->average());
            EvalResult emaVal;
            try {
                emaVal = evaluateSplit(valImages, splits.val.labels);
            } catch (const Cancelled&) {
                emaIn.reset();  // the checkpoint keeps the raw weights
                stoppedInEvaluation();
                throw;
            }
            m.emaValAccuracy = emaVal.accuracy;
            m.emaValLoss = emaVal.loss;
            emaWon = selection.offer(epoch, emaVal.accuracy, emaVal.loss);
            if (emaWon) {
                m.best = true;
                result.valAccuracy = emaVal.accuracy;
            } else {
                emaIn.reset();  // the raw weights are back
            }
        }
        m.bestIsEma = emaWon;
        if (m.best) {
            bestIsEma = emaWon;
            best = WeightSnapshot::of(modules);  // the average's, while it is swapped in
            result.bestEpoch = epoch;
            if (writer) {
                writer->writeCheckpoint("best_model.pt", *model_);
                if (listener) listener->checkpoint(writer->path("best_model.pt"), epoch);
            }
        }
        emaIn.reset();
        m.seconds = secondsSince(epochStart);
        result.epochsCompleted = epoch;
        result.valAccuracyLast = val.accuracy;
        m.stage = in_.stage;
        if (writer) writer->appendEpoch(m);
        // After the metrics line: a crash between the two repeats this epoch, never skips it.
        if (writer && c.checkpoint_every > 0 &&
            ((epoch % c.checkpoint_every == 0 &&
              secondsSince(lastCheckpoint) >= c.checkpoint_seconds) ||
             epoch == c.epochs)) {
            lastCheckpoint = Clock::now();
            TrainingProgress p{epoch,          result.stepsCompleted, result.bestEpoch,
                               selection.accuracy(), selection.loss(), val.accuracy,
                               priorSeconds + secondsSince(t0)};
            p.bestIsEma = bestIsEma;
            saveTrainingState(folder->dir(), p, state);
        }
        if (listener) listener->epoch(m);
    }

    EvalResult test = evaluateSplit(testImages, splits.test.labels);
    result.testAccuracyLast = test.accuracy;
    if (ema) result.selectedWeights = bestIsEma ? "ema" : "raw";
    if (result.bestEpoch != c.epochs || bestIsEma) {
        best.restoreTo(modules);
        test = evaluateSplit(testImages, splits.test.labels);
    }
    // A crash after a new best but before its checkpoint left that epoch's weights in
    // best_model.pt; the resumed run's best may be another epoch: write the one it reports.
    if (writer && result.resumedFromEpoch > 0) writer->writeCheckpoint("best_model.pt", *model_);
    result.testAccuracy = test.accuracy;
    finalTest_ = test;
    if (test.predictions.defined())
        result.testConfusion = confusionMatrix(splits.test.labels, test.predictions,
                                               static_cast<int64_t>(splits.classes.size()));
    result.seconds = priorSeconds + secondsSince(t0);
}

}  // namespace fewdata
