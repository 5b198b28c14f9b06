// What a training run reports while it runs, and the listener interface that receives it.
// The CLI prints these; the GUI turns them into queued signals.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace fewdata {

struct RunStarted {
    std::string runDir;
    std::string device;
    int64_t trainSize = 0, valSize = 0, testSize = 0, skippedFiles = 0;
    int epochs = 0;
    int batchesPerEpoch = 0;
};

struct BatchProgress {
    int epoch = 0;  // 1-based
    int batch = 0;  // 1-based
    int batches = 0;
    double loss = 0;
    double imagesPerSecond = 0;
};

struct EpochMetrics {
    int epoch = 0;                            // 1-based
    double trainLoss = 0, trainAccuracy = 0;  // accuracy in percent
    double valLoss = 0, valAccuracy = 0;
    double lr = 0;
    double seconds = 0;
    double imagesPerSecond = 0;  // training images per second of training time
    bool best = false;           // the best validation epoch so far
    // Under ema_decay: the weight average's validation figures (-1 without one), and whether
    // the new best is the average rather than the raw weights.
    double emaValLoss = -1, emaValAccuracy = -1;
    bool bestIsEma = false;
    std::string stage;           // "" for one-stage runs; else baseline, encoder, classifier...
};

// One split's per-sample predictions with the weights the run's accuracy comes from.
struct SplitPredictions {
    std::vector<int64_t> rows;              // the sample's position in its split (manifest order)
    std::vector<int64_t> truth, predicted;  // the dataset's class indices
    std::vector<float> pPredicted, pTrue;   // the final classifier's softmax probabilities
    // Every class's probability, row-major [size(), columns] with column c the dataset's class
    // c, where kept (the test split: test_probabilities.npy, the seed ensembles); else empty.
    std::vector<float> probabilities;
    int64_t columns = 0;
    size_t size() const { return rows.size(); }
};

struct Predictions {
    SplitPredictions train, val, test;
    bool empty() const { return train.size() + val.size() + test.size() == 0; }
};

// How a run ended; result.json and the window show it by name.
enum class RunStatus { Unknown, Finished, Cancelled, Failed };
std::string statusName(RunStatus status);  // "finished", "cancelled", "failed", "unknown"
RunStatus statusFromName(const std::string& name);

struct RunResult {
    RunStatus status = RunStatus::Unknown;
    std::string message;
    std::string detail;  // the full text of an error whose message was shortened
    std::string runDir;
    double valAccuracy = 0;   // best validation accuracy
    double testAccuracy = 0;  // test accuracy with the best-validation weights
    double testAccuracyLast = 0;
    // Under ema_decay: "ema" or "raw", the weights model selection chose; "" without EMA.
    std::string selectedWeights;
    double valAccuracyLast = 0;
    int bestEpoch = 0;
    int epochsCompleted = 0;
    int64_t stepsCompleted = 0;  // optimiser steps taken
    double seconds = 0;
    // A resumed run: the checkpoint's epoch (0: not resumed) and the seconds spent before it.
    int resumedFromEpoch = 0;
    double priorSeconds = 0;
    int64_t skippedFiles = 0;
    int writeErrno = 0;  // the run failed because a file could not be written (WriteError)
    // Further named figures of a method (a two-stage method's first stage, the GNN's
    // reference classifiers on the same nodes), written to result.json.
    std::vector<std::pair<std::string, double>> figures;
    // Test images by true class (rows) and predicted class (columns), with the weights the
    // test accuracy comes from; empty where the method's final classifier does not say.
    std::vector<std::vector<int64_t>> testConfusion;
    // The dataset's class index of each confusion row where the method kept a subset (the GNN
    // simulation's classes); empty: all classes in order.
    std::vector<int64_t> testConfusionClasses;
    // Every sample's prediction from the final classifier (predictions.csv); empty where a run
    // stopped before it had one.
    Predictions predictions;
};

// Where a training loop sends each finished epoch.
using EpochSink = std::function<void(const EpochMetrics&)>;

class TrainListener {
public:
    virtual ~TrainListener() = default;
    virtual void started(const RunStarted&) {}
    virtual void batch(const BatchProgress&) {}
    virtual void epoch(const EpochMetrics&) {}
    virtual void checkpoint(const std::string& /*path*/, int /*epoch*/) {}
    virtual void finished(const RunResult&) {}
    virtual void failed(const RunResult&) {}  // status cancelled or failed, with the message
};

}  // namespace fewdata
