// A finished run's best model, rebuilt from its folder (config, manifest, best_model.pt) to
// classify new images with the run's own evaluation view and normalisation.
#pragma once

#include <string>
#include <vector>

#include "core/train/augment.h"
#include "core/data/dataset_source.h"
#include "core/model/resnet.h"

namespace fewdata {

class RunPredictor {
public:
    // Throws InputError naming the folder or file when the run cannot be used: unfinished, a
    // method whose classifier is not the network (it lives on features), or an older format.
    explicit RunPredictor(const std::string& runDir, const std::string& device = "cpu");
    // What images must be decoded to before predict().
    const ImageGeometry& geometry() const { return geometry_; }
    const std::vector<std::string>& classes() const { return classes_; }
    // Class indices for uint8 [N, C, H, W] images of geometry().
    std::vector<int64_t> predict(const torch::Tensor& images, int batchSize = 256);

private:
    ResNet model_{nullptr};
    ImageGeometry geometry_;
    AugmentOptions augment_;
    bool ttaFlip_ = false;  // the run evaluated each image with its mirror: predict alike
    Normalizer normalizer_;
    std::vector<std::string> classes_;
    torch::Device device_ = torch::kCPU;
};

}  // namespace fewdata
