#include "core/data/fashion_mnist.h"

#include <cstdlib>
#include <cstring>

#include "core/base/errors.h"
#include "core/data/idx_reader.h"

namespace fewdata {
namespace {

const char* const kClassNames[] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                   "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

// Reads one images/labels pair and checks they agree; returns the images as [N, 1, H, W].
torch::Tensor readSplit(const std::string& dir, const std::string& prefix,
                        std::vector<SampleRef>& refs, const std::string& split) {
    const std::string imagesPath = dir + "/" + prefix + "-images-idx3-ubyte.gz";
    const std::string labelsPath = dir + "/" + prefix + "-labels-idx1-ubyte.gz";
    IdxArray images = readIdxFile(imagesPath);
    IdxArray labels = readIdxFile(labelsPath);
    if (images.dims.size() != 3)
        throw InputError("IDX file '" + imagesPath + "' should hold images [N, H, W], has " +
                         std::to_string(images.dims.size()) + " dimensions");
    if (labels.dims.size() != 1)
        throw InputError("IDX file '" + labelsPath + "' should hold labels [N], has " +
                         std::to_string(labels.dims.size()) + " dimensions");
    if (images.dims[0] != labels.dims[0])
        throw InputError("IDX files '" + imagesPath + "' and '" + labelsPath +
                         "' disagree: " + std::to_string(images.dims[0]) + " images but " +
                         std::to_string(labels.dims[0]) + " labels");
    const int64_t n = images.dims[0];
    refs.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        const int label = labels.data[static_cast<size_t>(i)];
        if (label > 9)
            throw InputError("IDX file '" + labelsPath + "' has label " + std::to_string(label) +
                             " at index " + std::to_string(i) + "; Fashion-MNIST has 10 classes");
        refs.push_back({split + "/" + std::to_string(i), label});
    }
    auto t = torch::empty({n, 1, images.dims[1], images.dims[2]}, torch::kUInt8);
    std::memcpy(t.data_ptr<uint8_t>(), images.data.data(), images.data.size());
    return t;
}

}  // namespace

std::string defaultFashionMnistDir() {
    if (const char* env = std::getenv("FEWDATA_FASHION_MNIST_DIR"); env && *env) return env;
    return "/usr/share/datasets/fashion-mnist";
}

FashionMnistSource::FashionMnistSource(const std::string& dir) {
    index_.name = "fashion-mnist";
    index_.root = dir;
    index_.classes.assign(std::begin(kClassNames), std::end(kClassNames));
    index_.testSplit = TestSplit::Separate;
    train_ = readSplit(dir, "train", index_.pool, "train");
    test_ = readSplit(dir, "t10k", index_.test, "test");
    if (test_.size(2) != train_.size(2) || test_.size(3) != train_.size(3))
        throw InputError("IDX file '" + dir + "/t10k-images-idx3-ubyte.gz' holds " +
                         std::to_string(test_.size(2)) + "x" + std::to_string(test_.size(3)) +
                         " images but the training file " + std::to_string(train_.size(2)) + "x" +
                         std::to_string(train_.size(3)));
    index_.native = {1, static_cast<int>(train_.size(2)), static_cast<int>(train_.size(3))};
}

DecodedImages FashionMnistSource::decode(const std::vector<SampleRef>& samples,
                                         const ImageGeometry& g, const std::atomic<bool>*) const {
    DecodedImages out;
    std::vector<int64_t> rows;
    std::vector<bool> fromTest;
    for (size_t i = 0; i < samples.size(); ++i) {
        const std::string& id = samples[i].id;
        const auto slash = id.find('/');
        const std::string split = id.substr(0, slash);
        char* end = nullptr;
        const long long row =
            slash == std::string::npos ? -1 : std::strtoll(id.c_str() + slash + 1, &end, 10);
        const torch::Tensor& src = split == "test" ? test_ : train_;
        if ((split != "train" && split != "test") || row < 0 || row >= src.size(0) ||
            (end && *end != '\0')) {
            out.skipped.push_back({id, "not a Fashion-MNIST sample id (train/N or test/N)"});
            continue;
        }
        rows.push_back(row);
        fromTest.push_back(split == "test");
        out.kept.push_back(i);
    }
    auto batch = torch::empty(
        {static_cast<int64_t>(rows.size()), 1, train_.size(2), train_.size(3)}, torch::kUInt8);
    for (size_t k = 0; k < rows.size(); ++k)
        batch[static_cast<int64_t>(k)].copy_((fromTest[k] ? test_ : train_)[rows[k]]);
    out.images = conformImages(batch, g);
    return out;
}

}  // namespace fewdata
