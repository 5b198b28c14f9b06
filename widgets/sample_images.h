// A run's images by manifest id, decoded from its dataset (config.json names it) at a chosen
// size: what the error gallery and its large view show. Off the GUI thread only.
#pragma once

#include <QImage>
#include <atomic>
#include <string>
#include <vector>

#include "core/data/dataset_source.h"

namespace fewdata {

// One image per sample, in order; a null QImage where it cannot be decoded (a file deleted since
// the run, a dataset not on this machine). `side`: the longer side at most, never upscaled.
std::vector<QImage> sampleImages(const std::string& runDir, const std::vector<SampleRef>& samples,
                                 int side, const std::atomic<bool>* cancel = nullptr);

}  // namespace fewdata
