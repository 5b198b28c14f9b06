// The low-resource protocol (docs/methods.md): K images per class drawn with a seed, split
// stratified into train and validation, and a test split kept apart for the final figure.
#pragma once

#include <nlohmann/json.hpp>

#include "core/data/dataset_source.h"

namespace fewdata {

struct ProtocolOptions {
    int perClass = 50;
    bool takeAllAvailable = false;
    double valFraction = 0.2;
    int seed = 0;
    int maxTestSamples = 0;  // 0: all
};

struct Split {
    std::vector<SampleRef> samples;
    torch::Tensor images;  // uint8 [N, C, H, W]
    torch::Tensor labels;  // int64 [N]
};

struct ProtocolSplits {
    std::vector<std::string> classes;
    Split train, val, test;
    TestSplit testSplit = TestSplit::Separate;
    std::vector<SkippedFile> skipped;  // undecodable files met while drawing, with the reason
};

// Every class's pool samples in the seeded order the draw takes them. Pure: no decoding.
std::vector<std::vector<SampleRef>> seededClassOrder(const DatasetIndex& index, int seed);

// Draws, decodes and splits. A class with fewer than K decodable images is an InputError that
// lists every short class, unless options.takeAllAvailable; so is a dataset of one class (a
// classifier needs two). Corrupt files are replaced by the next candidates of their class and
// reported in `skipped`.
ProtocolSplits drawSplits(const DatasetSource& source, const ProtocolOptions& options,
                          const ImageGeometry& geometry, const std::atomic<bool>* cancel);

// The manifest written with every run: the exact samples of each split, each with the
// fingerprint of its decoded pixels.
nlohmann::json manifestJson(const ProtocolSplits& splits, const DatasetIndex& index,
                            const ProtocolOptions& options);

// The splits a manifest names, decoded again: what a resumed run trains on, so that it uses
// exactly the samples it began with. Throws InputError naming the sample and `manifestPath`
// when a sample cannot be decoded any more or its pixels differ from the fingerprint the
// manifest recorded (manifests from before fingerprints are not compared), or when the
// manifest is not one this version wrote.
ProtocolSplits splitsFromManifest(const DatasetSource& source, const nlohmann::json& manifest,
                                  const std::string& manifestPath, const ImageGeometry& geometry,
                                  const std::atomic<bool>* cancel);

// A 64-bit hash of one uint8 [C, H, W] image's pixels, as 16 hex digits: a changed file's
// fingerprint in the manifest.
std::string pixelFingerprint(const torch::Tensor& image);

}  // namespace fewdata
