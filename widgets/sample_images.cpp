#include "sample_images.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/config/config.h"
#include "imaging/dataset_factory.h"
#include "tensor_image.h"

namespace fewdata {

std::vector<QImage> sampleImages(const std::string& runDir, const std::vector<SampleRef>& samples,
                                 int side, const std::atomic<bool>* cancel) {
    std::vector<QImage> out(samples.size());
    if (samples.empty()) return out;
    try {
        nlohmann::json config;
        std::ifstream(runDir + "/config.json") >> config;
        const auto source = openDataset(TrainConfig::fromJson(config));
        const ImageGeometry native = source->index().native;
        // Square, as the dataset layer conforms every image; no larger than the files hold.
        const int s = std::max(1, std::min({side, native.height, native.width}));
        const DecodedImages d = source->decode(samples, {native.channels, s, s}, cancel);
        for (size_t k = 0; k < d.kept.size(); ++k) out[d.kept[k]] = toQImage(d.images[int64_t(k)]);
    } catch (const std::exception&) {
        // Null images: the gallery still lists each sample with its classes and confidence.
    }
    return out;
}

}  // namespace fewdata
