// What every dataset source offers the protocol: an index of labelled samples (the pool K per
// class is drawn from, and a test split), and decoding of chosen samples into a uint8 cache.
#pragma once

#include <torch/torch.h>

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace fewdata {

struct SampleRef {
    std::string id;  // a file path, or "<split>/<index>" for array datasets
    int64_t label = -1;
};

struct SkippedFile {
    std::string id;
    std::string reason;
};

struct ImageGeometry {
    int channels = 1;
    int height = 28;
    int width = 28;
};

// How the test split relates to the pool.
enum class TestSplit {
    Separate,   // its own labelled files (Fashion-MNIST t10k, VIPriors val/, ImageFolder test/)
    Remainder,  // every pool image not drawn into the subset
};

struct DatasetIndex {
    std::string name;  // "fashion-mnist", "imagefolder", "vipriors"
    std::string root;
    std::vector<std::string> classes;
    std::vector<SampleRef> pool;
    std::vector<SampleRef> test;  // filled when testSplit == Separate
    TestSplit testSplit = TestSplit::Separate;
    ImageGeometry native;  // the geometry used when the config says 0 (auto)
};

struct DecodedImages {
    torch::Tensor images;      // uint8 [N, C, H, W], one row per kept sample
    std::vector<size_t> kept;  // positions in the request, in order, of the rows of `images`
    std::vector<SkippedFile> skipped;
};

class DatasetSource {
public:
    virtual ~DatasetSource() = default;
    virtual const DatasetIndex& index() const = 0;
    // Decodes the samples at geometry g. Undecodable samples are skipped and reported, never
    // thrown; `cancel` (may be null) is polled between images.
    virtual DecodedImages decode(const std::vector<SampleRef>& samples, const ImageGeometry& g,
                                 const std::atomic<bool>* cancel) const = 0;
};

// Converts a uint8 [N, C, H, W] batch to geometry g: grey to RGB by replication, RGB to grey
// by ITU-R 601 luma, and an area (downscale) or bilinear (upscale) resize.
torch::Tensor conformImages(const torch::Tensor& images, const ImageGeometry& g);

}  // namespace fewdata
