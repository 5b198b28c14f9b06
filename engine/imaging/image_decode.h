// Decoding one image file (OpenCV) into the uint8 cache geometry, with truncation checks that
// OpenCV alone does not make (it returns a half-grey picture for a cut-off JPEG).
#pragma once

#include <string>

#include "core/data/dataset_source.h"

namespace fewdata {

struct DecodeOutcome {
    torch::Tensor image;  // uint8 [C, H, W]; undefined when `error` is set
    std::string error;    // why the file cannot be used
};

// Resizes the shorter side to the target and centre-crops the square, so the aspect ratio is
// kept. Grey, RGB, RGBA and 16-bit files are accepted; alpha is dropped.
DecodeOutcome decodeImageFile(const std::string& path, const ImageGeometry& geometry);

// Decodes many files in parallel on LibTorch's thread pool; failures are reported, not thrown.
DecodedImages decodeImageFiles(const std::vector<SampleRef>& samples, const ImageGeometry& g,
                               const std::atomic<bool>* cancel);

bool hasImageExtension(const std::string& path);

}  // namespace fewdata
