#include "core/results/predictor.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/base/file_read.h"
#include "core/config/config.h"
#include "core/config/config_table.h"
#include "core/train/train_events.h"
#include "core/methods/registry.h"
#include "core/base/errors.h"
#include "core/base/runtime.h"

namespace fewdata {
namespace {

// No run of this version caches larger images (image_size <= 1024: 1170 px with resize-crop);
// a manifest asking for more is damaged, and predict would allocate it for every image.
constexpr int64_t kMaxCacheSide = 2048;
constexpr int64_t kMaxCachePixels = kMaxCacheSide * kMaxCacheSide;

std::string shapeText(const torch::IntArrayRef& sizes) {
    std::string out = "[";
    for (size_t i = 0; i < sizes.size(); ++i) out += (i ? ", " : "") + std::to_string(sizes[i]);
    return out + "]";
}

std::string numberText(double v) {
    std::ostringstream os;
    os << v;
    return os.str();
}

// The manifest's setup, checked value by value: predict trusts it for every image.
void checkSetup(const std::string& manifest, const std::vector<int64_t>& cacheShape,
                const AugmentOptions& augment, const std::string& stem,
                const std::vector<double>& mean, const std::vector<double>& std,
                size_t classCount) {
    auto bad = [&](const std::string& what) {
        return InputError("'" + manifest + "': " + what + "; predict cannot use this run");
    };
    if (classCount == 0) throw bad("'classes' is empty");
    if (cacheShape.size() != 3) throw bad("setup.cache must be [channels, height, width]");
    const int64_t channels = cacheShape[0], height = cacheShape[1], width = cacheShape[2];
    if (channels != 1 && channels != 3)
        throw bad("setup.cache has " + std::to_string(channels) + " channels, not 1 or 3");
    if (height < 1 || width < 1 || height > kMaxCacheSide || width > kMaxCacheSide ||
        height * width > kMaxCachePixels)
        throw bad("setup.cache is " + std::to_string(height) + " x " + std::to_string(width) +
                  " pixels; at most " + std::to_string(kMaxCacheSide) + " x " +
                  std::to_string(kMaxCacheSide) + " is allowed");
    if (augment.outputSize < 8 || augment.outputSize > height || augment.outputSize > width)
        throw bad("setup.input_size " + std::to_string(augment.outputSize) +
                  " does not fit the cached " + std::to_string(height) + " x " +
                  std::to_string(width) + " images (at least 8, at most their side)");
    const ConfigKey* augmentKey = findConfigKey("augment");
    const auto& modes = augmentKey->allowed;
    if (augment.mode == "auto" || std::find(modes.begin(), modes.end(), augment.mode) == modes.end())
        throw bad("setup.augment '" + augment.mode + "' is not a mode this version knows");
    if (stem != "small" && stem != "imagenet")
        throw bad("setup.stem '" + stem + "' is neither 'small' nor 'imagenet'");
    // The values become floats: each must be one, and a std one above 0.
    auto checkValues = [&](const char* key, const std::vector<double>& v, bool positive) {
        if (int64_t(v.size()) != channels)
            throw bad(std::string("setup.") + key + " has " + std::to_string(v.size()) +
                      " values for " + std::to_string(channels) + " channels");
        for (double x : v)
            if (!std::isfinite(x) || std::abs(x) > std::numeric_limits<float>::max() ||
                (positive && !(float(x) > 0)))
                throw bad(std::string("setup.") + key + " holds " + numberText(x) +
                          (positive ? "; it must be a finite number above 0"
                                    : "; it must be a finite number"));
    };
    checkValues("normalize_mean", mean, false);
    checkValues("normalize_std", std, true);
}

// LibTorch's load copies each stored tensor in whatever its shape: a model of another class
// count or channel count loads without a word and predicts classes the run does not have.
void checkShapes(const std::string& weights, const ResNet& model,
                 const std::map<std::string, std::vector<int64_t>>& expected) {
    auto check = [&](const std::string& name, const torch::Tensor& t) {
        const auto it = expected.find(name);
        if (it == expected.end() || t.sizes().vec() == it->second) return;
        throw InputError("'" + weights + "' does not fit its run: '" + name + "' has shape " +
                         shapeText(t.sizes()) + ", the run's config and manifest need " +
                         shapeText(it->second));
    };
    for (const auto& p : model->named_parameters()) check(p.key(), p.value());
    for (const auto& b : model->named_buffers()) check(b.key(), b.value());
}

}  // namespace

RunPredictor::RunPredictor(const std::string& runDir, const std::string& device) {
    namespace fs = std::filesystem;
    const fs::path dir = runDir;
    const auto result = readJsonFile((dir / "result.json").string());
    if (statusFromName(result.value("status", "")) != RunStatus::Finished)
        throw InputError("run '" + runDir + "' did not finish; predict needs a finished run");
    const std::string configPath = (dir / "config.json").string();
    TrainConfig config;
    try {
        config = TrainConfig::fromJson(readJsonFile(configPath));
    } catch (const InputError& e) {
        const std::string what = e.what();
        throw InputError(what.find(configPath) == std::string::npos ? "'" + configPath +
                                                                          "': " + what
                                                                    : what);
    }
    const std::string& m = config.method;
    if (!methodInfo(m).classifiesImages) {
        std::string usable;
        for (const MethodInfo& info : methodRegistry().all())
            if (info.classifiesImages) usable += (usable.empty() ? "" : ", ") + info.name;
        throw InputError("run '" + runDir + "' used method '" + m +
                         "', whose classifier works on features, not images; predict takes "
                         "runs of " + usable);
    }
    const std::string manifestPath = (dir / "manifest.json").string();
    const auto manifest = readJsonFile(manifestPath);
    ResNetOptions ro;
    try {
        const auto& setup = manifest.at("setup");
        classes_ = manifest.at("classes").get<std::vector<std::string>>();
        const auto cache = setup.at("cache").get<std::vector<int64_t>>();
        augment_.mode = setup.at("augment").get<std::string>();
        augment_.outputSize = setup.at("input_size").get<int>();
        const auto mean = setup.at("normalize_mean").get<std::vector<double>>();
        const auto std = setup.at("normalize_std").get<std::vector<double>>();
        const auto stem = setup.at("stem").get<std::string>();
        checkSetup(manifestPath, cache, augment_, stem, mean, std, classes_.size());
        geometry_ = {int(cache[0]), int(cache[1]), int(cache[2])};
        normalizer_.mean = torch::tensor(std::vector<float>(mean.begin(), mean.end()));
        normalizer_.std = torch::tensor(std::vector<float>(std.begin(), std.end()));
        ro.arch = config.model;
        ttaFlip_ = config.tta_flip;
        ro.numClasses = static_cast<int64_t>(classes_.size());
        ro.inChannels = geometry_.channels;
        ro.smallStem = stem == "small";
    } catch (const nlohmann::json::exception& e) {
        throw InputError("'" + manifestPath +
                         "' lacks what predict needs (written by an older version?): " + e.what());
    }
    model_ = ResNet(ro);
    std::map<std::string, std::vector<int64_t>> expected;
    for (const auto& p : model_->named_parameters()) expected[p.key()] = p.value().sizes().vec();
    for (const auto& b : model_->named_buffers()) expected[b.key()] = b.value().sizes().vec();
    const std::string weights = (dir / "best_model.pt").string();
    requireRegularFile(weights);  // LibTorch's reader would wait on a FIFO
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(weights);
        model_->load(archive);
    } catch (const c10::Error& e) {
        throw InputError("cannot load '" + weights + "': " + e.what_without_backtrace());
    }
    checkShapes(weights, model_, expected);
    device_ = resolveDevice(device);
    model_->to(device_);
    model_->eval();
    normalizer_.mean = normalizer_.mean.to(device_);
    normalizer_.std = normalizer_.std.to(device_);
}

std::vector<int64_t> RunPredictor::predict(const torch::Tensor& images, int batchSize) {
    torch::NoGradGuard guard;
    std::vector<int64_t> out;
    for (int64_t s = 0; s < images.size(0); s += batchSize) {
        const int64_t len = std::min<int64_t>(batchSize, images.size(0) - s);
        const auto x = normalizer_.apply(evalView(images.narrow(0, s, len).to(device_), augment_));
        auto scores = model_->forward(x);
        // The head is linear: the mean of the two views' logits is the logits of the mean
        // features, as the run's own evaluation (evalFeatures) computes them.
        if (ttaFlip_) scores = scores + model_->forward(x.flip({3}));
        const auto labels = scores.argmax(1).to(torch::kCPU);
        for (int64_t i = 0; i < len; ++i) out.push_back(labels[i].item<int64_t>());
    }
    return out;
}

}  // namespace fewdata
