// Decoding one image file (OpenCV) into the uint8 cache geometry, with truncation checks that
// OpenCV alone does not make (it returns a half-grey picture for a cut-off JPEG).
#pragma once

#include <string>

#include "core/data/dataset_source.h"

namespace fewdata {

// Larger images are skipped with a reason naming their size: decoding one costs about
// kDecodeBytesPerPixel per pixel however small the file (a one-colour PNG compresses 1000:1).
constexpr int64_t kMaxImagePixels = 64'000'000;
// A 16-bit RGBA decode (8 bytes a pixel), its 8-bit copy and a channel conversion: about the
// most one decode holds at once, the resized picture aside.
constexpr uint64_t kDecodeBytesPerPixel = 16;
// Decodes running at once hold at most this much between them (by kDecodeBytesPerPixel); a
// thread waits for room, so large images decode a few at a time while small ones rarely wait.
constexpr uint64_t kDecodeMemoryBudget = uint64_t(2) << 30;
// A larger image file is skipped unread: twice an uncompressed 64-megapixel 32-bit BMP.
constexpr uint64_t kMaxImageFileBytes = uint64_t(512) << 20;

struct DecodeOutcome {
    torch::Tensor image;  // uint8 [C, H, W]; undefined when `error` is set
    std::string error;    // why the file cannot be used
};

// Resizes the shorter side to the target and centre-crops the square, so the aspect ratio is
// kept. Grey, RGB, RGBA and 16-bit files are accepted; alpha is dropped. Only regular files are
// opened (a FIFO or device is an error, never waited on), and only PNG, JPEG, BMP and WebP
// files whose header gives at most kMaxImagePixels, before and after the shorter side is
// scaled to the target, are decoded.
DecodeOutcome decodeImageFile(const std::string& path, const ImageGeometry& geometry);

// Decodes many files in parallel on LibTorch's thread pool; failures are reported, not thrown.
DecodedImages decodeImageFiles(const std::vector<SampleRef>& samples, const ImageGeometry& g,
                               const std::atomic<bool>* cancel);

bool hasImageExtension(const std::string& path);

}  // namespace fewdata
