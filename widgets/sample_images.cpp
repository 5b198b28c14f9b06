#include "sample_images.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/base/file_read.h"
#include "core/config/config.h"
#include "imaging/dataset_factory.h"
#include "tensor_image.h"

namespace fewdata {
namespace {

// Manifest ids of an image folder are paths that begin with the dataset's root, as the run
// was given it. One that leads elsewhere (a manifest edited or damaged: "/dev/zero", "../x")
// is not the run's sample and is never opened.
bool insideDataset(const std::string& root, const std::string& id) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path r = fs::absolute(root, ec).lexically_normal();
    if (ec) return false;
    if (r.filename().empty()) r = r.parent_path();  // a trailing slash
    const fs::path p = fs::absolute(id, ec).lexically_normal();
    if (ec) return false;
    const auto [ri, pi] = std::mismatch(r.begin(), r.end(), p.begin(), p.end());
    return ri == r.end() && pi != p.end() && !pi->empty();
}

}  // namespace

std::vector<QImage> sampleImages(const std::string& runDir, const std::vector<SampleRef>& samples,
                                 int side, const std::atomic<bool>* cancel) {
    std::vector<QImage> out(samples.size());
    if (samples.empty()) return out;
    try {
        const TrainConfig config = TrainConfig::fromJson(readJsonFile(runDir + "/config.json"));
        const auto source = openDataset(config);
        const ImageGeometry native = source->index().native;
        // Fashion-MNIST ids name rows of its arrays, not files.
        const bool files = config.dataset != "fashion-mnist";
        std::vector<SampleRef> wanted;
        std::vector<size_t> at;
        for (size_t i = 0; i < samples.size(); ++i)
            if (!files || insideDataset(source->index().root, samples[i].id)) {
                wanted.push_back(samples[i]);
                at.push_back(i);
            }
        // Square, as the dataset layer conforms every image; no larger than the files hold.
        const int s = std::max(1, std::min({side, native.height, native.width}));
        const DecodedImages d = source->decode(wanted, {native.channels, s, s}, cancel);
        for (size_t k = 0; k < d.kept.size(); ++k)
            out[at[d.kept[k]]] = toQImage(d.images[int64_t(k)]);
    } catch (const std::exception&) {
        // Null images: the gallery still lists each sample with its classes and confidence.
    }
    return out;
}

}  // namespace fewdata
