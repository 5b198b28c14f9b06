// Predictions of a run's best model for every image file in a folder (the VIPriors
// test/imgs), decoded in chunks so a 50,000-image folder needs little memory.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "core/data/dataset_source.h"
#include "core/results/predictor.h"
#include "core/results/submission.h"

namespace fewdata {

struct FolderPredictions {
    std::vector<Prediction> predictions;  // ids are the file names, in name order
    std::vector<SkippedFile> skipped;     // undecodable files, with the reason
};

// Throws InputError when `dir` is not a folder or holds no image file.
FolderPredictions predictFolder(RunPredictor& predictor, const std::string& dir,
                                const std::atomic<bool>* cancel);

}  // namespace fewdata
