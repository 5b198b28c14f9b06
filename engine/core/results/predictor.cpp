#include "core/train/train_events.h"
#include "core/base/file_read.h"
#include "core/results/predictor.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/config/config.h"
#include "core/methods/registry.h"
#include "core/base/errors.h"
#include "core/base/runtime.h"

namespace fewdata {
namespace {

nlohmann::json readJson(const std::filesystem::path& p) {
    return readJsonFile(p.string());
}

}  // namespace

RunPredictor::RunPredictor(const std::string& runDir, const std::string& device) {
    namespace fs = std::filesystem;
    const fs::path dir = runDir;
    const auto result = readJson(dir / "result.json");
    if (statusFromName(result.value("status", "")) != RunStatus::Finished)
        throw InputError("run '" + runDir + "' did not finish; predict needs a finished run");
    const TrainConfig config = TrainConfig::fromJson(readJson(dir / "config.json"));
    const std::string& m = config.method;
    if (!methodInfo(m).classifiesImages) {
        std::string usable;
        for (const MethodInfo& info : methodRegistry().all())
            if (info.classifiesImages) usable += (usable.empty() ? "" : ", ") + info.name;
        throw InputError("run '" + runDir + "' used method '" + m +
                         "', whose classifier works on features, not images; predict takes "
                         "runs of " + usable);
    }
    const auto manifest = readJson(dir / "manifest.json");
    try {
        const auto& setup = manifest.at("setup");
        classes_ = manifest.at("classes").get<std::vector<std::string>>();
        const auto cache = setup.at("cache").get<std::vector<int>>();
        geometry_ = {cache.at(0), cache.at(1), cache.at(2)};
        augment_.mode = setup.at("augment").get<std::string>();
        augment_.outputSize = setup.at("input_size").get<int>();
        normalizer_.mean = torch::tensor(setup.at("normalize_mean").get<std::vector<float>>());
        normalizer_.std = torch::tensor(setup.at("normalize_std").get<std::vector<float>>());
        ResNetOptions ro;
        ro.arch = config.model;
        ro.numClasses = static_cast<int64_t>(classes_.size());
        ro.inChannels = geometry_.channels;
        ro.smallStem = setup.at("stem").get<std::string>() == "small";
        model_ = ResNet(ro);
    } catch (const nlohmann::json::exception& e) {
        throw InputError("'" + (dir / "manifest.json").string() +
                         "' lacks what predict needs (written by an older version?): " + e.what());
    }
    const std::string weights = (dir / "best_model.pt").string();
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(weights);
        model_->load(archive);
    } catch (const c10::Error& e) {
        throw InputError("cannot load '" + weights + "': " + e.what_without_backtrace());
    }
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
        const auto labels = model_->forward(x).argmax(1).to(torch::kCPU);
        for (int64_t i = 0; i < len; ++i) out.push_back(labels[i].item<int64_t>());
    }
    return out;
}

}  // namespace fewdata
