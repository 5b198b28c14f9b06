// The embedded default dataset: Fashion-MNIST's IDX files from Debian's dataset-fashion-mnist.
#pragma once

#include "core/data/dataset_source.h"

namespace fewdata {

// Where Debian installs the files; the FEWDATA_FASHION_MNIST_DIR environment variable overrides.
std::string defaultFashionMnistDir();

class FashionMnistSource : public DatasetSource {
public:
    // Reads and checks all four files in `dir`; throws InputError naming a bad file.
    explicit FashionMnistSource(const std::string& dir);

    const DatasetIndex& index() const override { return index_; }
    DecodedImages decode(const std::vector<SampleRef>& samples, const ImageGeometry& g,
                         const std::atomic<bool>* cancel) const override;

private:
    DatasetIndex index_;
    torch::Tensor train_;  // uint8 [60000, 1, 28, 28]
    torch::Tensor test_;   // uint8 [10000, 1, 28, 28]
};

}  // namespace fewdata
