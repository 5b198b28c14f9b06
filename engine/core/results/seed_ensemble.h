// The ensemble of a row's seeds: the average of their test probabilities
// (test_probabilities.npy), scored against the test labels of predictions.csv, beside the
// seeds' own accuracies from the same files. Only runs of one recipe are in a row, so only
// those are ever averaged; runs tested on different images are not.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace fewdata {

struct RunRecord;

struct SeedEnsemble {
    int seeds = 0;
    double test = 0;            // accuracy of the averaged probabilities, percent
    double singleSeedMean = 0;  // the seeds' own test accuracies from the same files, mean
};

// For two runs or more; std::nullopt with `why` set when a run lacks its files (a method or
// version that does not write them), a file cannot be read, or the runs were tested on
// different images or classes.
std::optional<SeedEnsemble> seedEnsemble(const std::vector<RunRecord>& runs, std::string& why);

}  // namespace fewdata
