#include "core/train_job.h"

#include <chrono>

#include "core/fashion_mnist.h"
#include "core/protocol.h"
#include "core/resnet.h"
#include "core/run_folder.h"
#include "core/runtime.h"
#include "core/trainer.h"

namespace fewdata {
namespace {

nlohmann::json resultJson(const RunResult& r, const ProtocolSplits* splits,
                          const std::string& device) {
    nlohmann::json j = {{"format", 1},
                        {"status", r.status},
                        {"val_accuracy", r.valAccuracy},
                        {"test_accuracy", r.testAccuracy},
                        {"test_accuracy_last", r.testAccuracyLast},
                        {"val_accuracy_last", r.valAccuracyLast},
                        {"best_epoch", r.bestEpoch},
                        {"epochs_completed", r.epochsCompleted},
                        {"steps_completed", r.stepsCompleted},
                        {"seconds", r.seconds},
                        {"skipped_files", r.skippedFiles},
                        {"device", device},
                        {"torch_version", TORCH_VERSION}};
    if (!r.message.empty()) j["message"] = r.message;
    if (splits)
        j["sizes"] = {{"train", splits->train.samples.size()},
                      {"val", splits->val.samples.size()},
                      {"test", splits->test.samples.size()}};
    return j;
}

}  // namespace

std::unique_ptr<DatasetSource> openCoreDataset(const TrainConfig& config) {
    if (config.dataset == "fashion-mnist")
        return std::make_unique<FashionMnistSource>(defaultFashionMnistDir());
    throw InputError("dataset '" + config.dataset +
                     "' cannot be read by this build: it has only Fashion-MNIST (image folders "
                     "need the OpenCV part of the engine)");
}

ResolvedSetup resolveSetup(const TrainConfig& c, const DatasetIndex& index) {
    ResolvedSetup s;
    const bool arrayDataset = index.name == "fashion-mnist";
    s.inputSize = c.image_size > 0 ? c.image_size : (arrayDataset ? 2 * index.native.height : 224);
    const bool small = s.inputSize <= 64;
    s.augment = c.augment != "auto" ? c.augment : (small ? "pad-crop" : "resize-crop");
    s.smallStem = c.stem == "auto" ? s.inputSize < 56 : c.stem == "small";
    // resize-crop keeps the 256:224 ratio of the VIPriors toolkit between cache and crop.
    const bool cropsFromLarger = s.augment == "resize-crop" || s.augment == "random-resized-crop";
    const int cacheSize =
        cropsFromLarger ? static_cast<int>(std::lround(s.inputSize * 256.0 / 224.0)) : s.inputSize;
    s.cache = {c.channels > 0 ? c.channels : index.native.channels, cacheSize, cacheSize};
    return s;
}

TrainJob::TrainJob(TrainJobParams params, DatasetOpener opener)
    : params_(std::move(params)), opener_(std::move(opener)) {}

RunResult TrainJob::run(TrainListener* listener, const std::atomic<bool>* cancel) {
    const auto t0 = std::chrono::steady_clock::now();
    const TrainConfig& c = params_.config;
    c.validate();
    RunFolder::checkFree(params_.runDir);
    const torch::Device device = resolveDevice(c.device);
    const int threads = applyThreadCount(c.threads);
    const std::string deviceText = describeDevice(device, threads);

    auto source = opener_(c);
    const ResolvedSetup setup = resolveSetup(c, source->index());
    ProtocolOptions protocol{c.per_class, c.take_all_available, c.val_fraction, c.seed,
                             c.max_test_samples};
    ProtocolSplits splits;
    try {
        splits = drawSplits(*source, protocol, setup.cache, cancel);
    } catch (const Cancelled& e) {
        RunResult r;  // nothing was written yet, so there is no folder to keep
        r.status = "cancelled";
        r.message = e.what();
        if (listener) listener->failed(r);
        return r;
    }

    RunFolder folder(params_.runDir);
    RunResult result;
    result.runDir = params_.runDir;
    result.skippedFiles = static_cast<int64_t>(splits.skipped.size());
    try {
        folder.writeJson("config.json", c.toJson());
        nlohmann::json manifest = manifestJson(splits, source->index(), protocol);
        manifest["setup"] = {
            {"input_size", setup.inputSize},
            {"cache", {setup.cache.channels, setup.cache.height, setup.cache.width}},
            {"augment", setup.augment},
            {"stem", setup.smallStem ? "small" : "imagenet"}};
        folder.writeJson("manifest.json", manifest);
        torch::manual_seed(static_cast<uint64_t>(c.seed));
        ResNetOptions ro;
        ro.arch = c.model;
        ro.numClasses = static_cast<int64_t>(splits.classes.size());
        ro.inChannels = setup.cache.channels;
        ro.smallStem = setup.smallStem;
        ResNet model(ro);

        TrainerInputs in;
        in.config = c;
        in.augment = {setup.augment, c.pad, c.flip, setup.inputSize};
        const bool datasetStats = setup.inputSize <= 64 || setup.cache.channels != 3;
        in.normalizer =
            datasetStats ? Normalizer::fromImages(splits.train.images) : Normalizer::imagenet();
        in.device = device;
        if (c.method == "mixup" || c.method == "cutmix")
            in.mix = {c.method, c.mix_alpha, c.mix_probability};

        if (listener) {
            RunStarted s;
            s.runDir = params_.runDir;
            s.device = deviceText;
            s.trainSize = splits.train.images.size(0);
            s.valSize = splits.val.images.size(0);
            s.testSize = splits.test.images.size(0);
            s.skippedFiles = result.skippedFiles;
            s.epochs = c.epochs;
            const int64_t b = std::min<int64_t>(c.batch_size, s.trainSize);
            s.batchesPerEpoch = static_cast<int>(s.trainSize / b + ((s.trainSize % b) >= 2));
            listener->started(s);
        }
        Trainer(model, in).run(splits, listener, cancel, &folder, result);
        result.status = "finished";
    } catch (const Cancelled& e) {
        result.status = "cancelled";
        result.message = e.what();
    } catch (const std::exception& e) {
        result.status = "failed";
        result.message = e.what();
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    try {
        folder.writeJson("result.json", resultJson(result, &splits, deviceText));
    } catch (const std::exception& e) {
        if (result.status == "finished") {
            result.status = "failed";
            result.message = e.what();
        }
    }
    if (listener) {
        if (result.status == "finished")
            listener->finished(result);
        else
            listener->failed(result);
    }
    return result;
}

}  // namespace fewdata
