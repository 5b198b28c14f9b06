// predictions.csv: one line per training, validation and test sample of a run, with its true
// class, the predicted class and both classes' probabilities from the weights the run's
// accuracy comes from. The error gallery, the hardest-images list and users' scripts read it.
// A GCN run lists only its graph's nodes (the classes it drew, its share of the test images).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/train/train_events.h"

namespace fewdata {

constexpr const char* kPredictionsFile = "predictions.csv";
// Every class's probability for each test image, rows in predictions.csv's test order, column c
// the dataset's class c (core/base/npy_file.h): what the ensembles of seeds average.
constexpr const char* kTestProbabilitiesFile = "test_probabilities.npy";

struct PredictionRow {
    // The manifest's sample id: a path, or "train/<index>" / "test/<index>" in Fashion-MNIST's
    // IDX files; "<split>:<position>" where the run's manifest named none.
    std::string id;
    std::string split;  // train | val | test
    int64_t trueIndex = 0, predictedIndex = 0;  // the dataset's class indices
    std::string trueClass, predictedClass;
    double pPredicted = 0, pTrue = 0;
    bool correct() const { return trueIndex == predictedIndex; }
};

// Sample ids by split, in manifest order.
struct SplitIds {
    std::vector<std::string> train, val, test;
};
// From a run's manifest.json (train, val, test.samples); empty lists where one is missing.
SplitIds manifestIds(const nlohmann::json& manifest);

// The file's text; a row whose position has no id gets "<split>:<position>". `classes` names the
// dataset's classes (a class without a name is written as its index).
std::string predictionsCsv(const Predictions& p, const SplitIds& ids,
                           const std::vector<std::string>& classes);

// Throws InputError naming the file and line for a missing file, a wrong header or a bad row.
std::vector<PredictionRow> readPredictions(const std::string& path);

// The test samples of one confusion-matrix cell, the model's surest first; on the diagonal the
// least sure first (the correct ones it nearly got wrong).
std::vector<PredictionRow> cellSamples(const std::vector<PredictionRow>& rows, int64_t trueIndex,
                                       int64_t predictedIndex);

// Training and validation samples the model gets wrong, the surest mistakes first: likely
// label errors or outliers. At most `limit`.
std::vector<PredictionRow> hardestSamples(const std::vector<PredictionRow>& rows, size_t limit);

}  // namespace fewdata
