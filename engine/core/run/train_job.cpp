#include "core/run/train_job.h"
#include "core/base/file_read.h"
#include "core/base/json_text.h"

#include <chrono>
#include <set>
#include <filesystem>
#include <fstream>

#include "core/run/batch_preview.h"
#include "core/data/fashion_mnist.h"
#include "core/train/fast_path.h"
#include "core/train/feature_cache.h"
#include "core/methods/feature_methods.h"
#include "core/config/config_table.h"
#include "core/methods/registry.h"
#include "core/train/objective.h"
#include "core/data/protocol.h"
#include "core/model/resnet.h"
#include "core/run/provenance.h"
#include "core/run/predictions_file.h"
#include "core/base/npy_file.h"
#include "core/train/predictions.h"
#include "core/base/atomic_file.h"
#include "core/run/run_folder.h"
#include "core/base/runtime.h"
#include "core/train/trainer.h"
#include "core/train/data_parallel.h"

namespace fewdata {
namespace {

nlohmann::json resultJson(const RunResult& r, const SplitSizes* sizes, const std::string& device) {
    nlohmann::json j = {{"format", 1},
                        {"status", statusName(r.status)},
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
                        {"threads", at::get_num_threads()},
                        {"workbench_version", workbenchVersion()},
                        {"torch_version", torchVersion()}};
    if (!r.selectedWeights.empty()) j["selected_weights"] = r.selectedWeights;
    if (!r.message.empty()) j["message"] = r.message;
    if (!r.detail.empty()) j["detail"] = r.detail;
    if (r.writeErrno != 0) j["write_errno"] = r.writeErrno;
    if (sizes) j["sizes"] = {{"train", sizes->train}, {"val", sizes->val}, {"test", sizes->test}};
    if (!r.figures.empty()) {
        nlohmann::json f = nlohmann::json::object();
        for (const auto& [k, v] : r.figures) f[k] = v;
        j["figures"] = f;
    }
    if (!r.testConfusion.empty()) j["test_confusion"] = r.testConfusion;
    if (r.resumedFromEpoch > 0) j["resumed_from_epoch"] = r.resumedFromEpoch;
    if (!r.testConfusion.empty() && !r.testConfusionClasses.empty())
        j["test_confusion_classes"] = r.testConfusionClasses;
    return j;
}

// Epochs over every stage, for progress displays.
int plannedEpochs(const TrainConfig& c, bool withImageStage) {
    const MethodInfo& m = methodInfo(c.method);
    return (withImageStage ? c.epochs : 0) + (m.laterEpochs ? m.laterEpochs(c) : 0);
}

// The protocol keys a feature cache must share with the run that reads it. Returns the method
// of the run that wrote the cache.
std::string checkFeatureSource(const TrainConfig& c) {
    namespace fs = std::filesystem;
    const fs::path dir = c.features_from;
    nlohmann::json source, result;
    try {
        source = readJsonFile((dir / "config.json").string());
        result = readJsonFile((dir / "result.json").string());
    } catch (const InputError&) {
        throw InputError("features_from '" + c.features_from +
                         "' is not a finished run folder (config.json or result.json missing or "
                         "unreadable)");
    }
    if (statusFromName(result.value("status", "")) != RunStatus::Finished)
        throw InputError("features_from '" + c.features_from + "' did not finish (status '" +
                         result.value("status", "?") + "')");
    const nlohmann::json mine = c.toJson();
    for (const std::string& key : protocolKeys())
        if (!source.contains(key) || source[key] != mine[key])
            throw InputError("features_from '" + c.features_from + "' has " + key + " = " +
                             jsonText(source.value(key, nlohmann::json(nullptr))) + ", this run " +
                             jsonText(mine[key]) + ": its split is not this run's");
    return source.value("method", "");
}

// Inside a catch block: the exception being handled becomes the run's status and message.
void setStatusFromException(RunResult& r, const TrainConfig& c, bool resumed) {
    try {
        throw;
    } catch (const Cancelled& e) {
        r.status = RunStatus::Cancelled;
        r.message = e.what();
    } catch (const std::exception& e) {
        r.status = RunStatus::Failed;
        if (const auto* w = dynamic_cast<const WriteError*>(&e)) r.writeErrno = w->error;
        r.message = outOfMemoryAdvice(e.what(), c, resumed);
        if (r.message.empty()) r.message = withoutBacktrace(e.what());
        // The whole text, backtrace and all, stays in result.json for a bug report.
        if (r.message != e.what()) r.detail = e.what();
    }
}

class StageSink {
public:
    StageSink(TrainListener* l, RunFolder& f, RunResult& r, int offset)
        : listener_(l), folder_(f), result_(r), offset_(offset) {}
    EpochSink sink() {
        return [this](const EpochMetrics& in) {
            EpochMetrics m = in;
            m.epoch += offset_;
            folder_.appendEpoch(m);
            result_.epochsCompleted = m.epoch;
            if (listener_) listener_->epoch(m);
        };
    }

private:
    TrainListener* listener_;
    RunFolder& folder_;
    RunResult& result_;
    int offset_;
};

void announce(TrainListener* listener, const std::string& runDir, const std::string& device,
              const SplitSizes& sizes, int64_t skipped, int epochs, int batchSize) {
    if (!listener) return;
    RunStarted s;
    s.runDir = runDir;
    s.device = device;
    s.trainSize = sizes.train;
    s.valSize = sizes.val;
    s.testSize = sizes.test;
    s.skippedFiles = skipped;
    s.epochs = epochs;
    const int64_t b = std::max<int64_t>(1, std::min<int64_t>(batchSize, sizes.train));
    s.batchesPerEpoch = static_cast<int>(sizes.train / b + ((sizes.train % b) >= 2));
    listener->started(s);
}

void writePredictions(const RunFolder& folder, const Predictions& p, const SplitIds& ids,
                      const std::vector<std::string>& classes) {
    if (!p.empty()) writeFileAtomically(folder.path(kPredictionsFile), predictionsCsv(p, ids, classes));
    // Every test image's probabilities, for the ensembles of seeds; only where the rows are the
    // whole test split in order (a GCN over a sample of it is not).
    const SplitPredictions& t = p.test;
    bool wholeSplit = !t.probabilities.empty() && t.size() == ids.test.size();
    for (size_t i = 0; wholeSplit && i < t.size(); ++i) wholeSplit = t.rows[i] == int64_t(i);
    if (wholeSplit)
        writeFileAtomically(folder.path(kTestProbabilitiesFile),
                            npyBytes({int64_t(t.size()), t.columns, t.probabilities}));
}

SplitIds idsOf(const ProtocolSplits& s) {
    SplitIds ids;
    for (const auto& r : s.train.samples) ids.train.push_back(r.id);
    for (const auto& r : s.val.samples) ids.val.push_back(r.id);
    for (const auto& r : s.test.samples) ids.test.push_back(r.id);
    return ids;
}

void moveStageFigures(RunResult& r, const std::string& prefix) {
    r.figures.push_back({prefix + "_val_accuracy", r.valAccuracy});
    r.figures.push_back({prefix + "_test_accuracy", r.testAccuracy});
    r.figures.push_back({prefix + "_best_epoch", double(r.bestEpoch)});
}

}  // namespace

std::unique_ptr<DatasetSource> openCoreDataset(const TrainConfig& config) {
    if (config.dataset == "fashion-mnist")
        return std::make_unique<FashionMnistSource>(defaultFashionMnistDir());
    throw InputError("dataset '" + config.dataset +
                     "' cannot be read by this build: it has only Fashion-MNIST (image folders "
                     "need the OpenCV part of the engine)");
}

std::string outOfMemoryAdvice(const std::string& what, const TrainConfig& c, bool resumed) {
    bool memory = false;  // CUDA's message, LibTorch's CPU allocator's, and the C++ library's
    for (const char* sign :
         {"out of memory", "can't allocate memory", "not enough memory", "bad_alloc"})
        memory = memory || what.find(sign) != std::string::npos;
    if (!memory) return {};
    const bool cuda = what.find("CUDA") != std::string::npos;
    // LibTorch's message runs to a backtrace; its first line says how much was asked for.
    const std::string first = what.substr(0, what.find('\n'));
    return std::string(cuda ? "the GPU" : "the machine") + " ran out of memory with batch_size " +
           std::to_string(c.batch_size) + " (image_size " + std::to_string(c.image_size) +
           ", model " + c.model + "): " +
           (resumed ? "a resumed run keeps its batch size; start a new run with --batch "
                    : "try --batch ") +
           std::to_string(std::max(1, c.batch_size / 2)) +
           (c.eval_batch_size > c.batch_size
                ? " or a smaller eval_batch_size (now " + std::to_string(c.eval_batch_size) + ")"
                : std::string()) +
           ". LibTorch said: " + first;
}

TrainConfig resumeConfig(const std::string& runDir, const nlohmann::json& overrides) {
    for (const auto& [key, value] : overrides.items()) {
        const ConfigKey* k = findConfigKey(key);
        if (k && k->resumable) continue;
        std::string allowed;
        for (const ConfigKey& r : configTable())
            if (r.resumable) allowed += std::string(allowed.empty() ? "" : ", ") + r.key;
        throw InputError("'" + key +
                         "' cannot change when a run is resumed (it would be another run); only " +
                         allowed + " can");
    }
    const std::string path = (std::filesystem::path(runDir) / "config.json").string();
    if (!std::filesystem::exists(path))
        throw InputError("'" + runDir + "' is not a run folder (no config.json)");
    TrainConfig config = TrainConfig::fromFile(path, overrides);
    config.features_from = resolvedFeaturesFrom(runDir, config.features_from);  // as stored
    return config;
}

void keepStoredArithmetic(TrainConfig& c, const std::string& runDir) {
    nlohmann::json j;
    try {
        j = readJsonFile((std::filesystem::path(runDir) / "config.json").string());
    } catch (const InputError&) {
        return;  // reopen() has said what is wrong with the folder
    }
    if (!j.is_object()) return;  // reopen() has said what is wrong with the folder
    // Runs from before these keys existed computed in fp32 and NCHW.
    c.precision = j.contains("precision") && j["precision"].is_string()
                      ? j["precision"].get<std::string>()
                      : "fp32";
    c.channels_last = j.contains("channels_last") && j["channels_last"].is_boolean()
                          ? j["channels_last"].get<bool>()
                          : false;
}

namespace {

// A new run's folder, claimed before the dataset is decoded so that nothing else starts in it
// meanwhile; a run that never starts (bad data, a cancel while decoding) gives it back as it
// found it: the marker gone, and the folders the claim created removed.
class NewRunClaim {
public:
    explicit NewRunClaim(const std::string& dir) : created_(missingFolders(dir)), folder_(dir) {}
    RunFolder& folder() { return folder_; }
    void giveBack() {
        std::string marker;
        try {
            marker = folder_.path(RunFolder::kClaimMarker);
        } catch (const std::exception&) {
            return;  // moved meanwhile: what has the name now is not ours to clean
        }
        std::error_code ec;
        std::filesystem::remove(marker, ec);
        for (const auto& p : created_) std::filesystem::remove(p, ec);  // only while empty
    }

private:
    static std::vector<std::filesystem::path> missingFolders(const std::string& dir) {
        std::vector<std::filesystem::path> out;  // deepest first
        std::error_code ec;
        for (std::filesystem::path p = dir; !p.empty(); p = p.parent_path()) {
            if (std::filesystem::exists(std::filesystem::symlink_status(p, ec))) break;
            out.push_back(p);
            if (p == p.parent_path()) break;
        }
        return out;
    }

    std::vector<std::filesystem::path> created_;
    RunFolder folder_;
};

}  // namespace

TrainJob::TrainJob(TrainJobParams params, DatasetOpener opener)
    : params_(std::move(params)), opener_(std::move(opener)) {}

namespace {

// The run folder as a rank other than 0 sees it: read to resume, never written.
class ReadOnlyStore : public RunStore {
public:
    explicit ReadOnlyStore(std::string dir) : dir_(std::move(dir)) {}
    const std::string& dir() const override { return dir_; }
    std::string path(const std::string& name) const override { return dir_ + "/" + name; }
    std::vector<EpochMetrics> keepEpochsUpTo(int) override { return {}; }
    void appendEpoch(const EpochMetrics&) override {}
    void writeCheckpoint(const std::string&, torch::nn::Module&) const override {}

private:
    std::string dir_;
};

}  // namespace

RunResult TrainJob::run(TrainListener* listener, const std::atomic<bool>* cancel) {
    params_.config.validate();
    wrote_ = false;
    if (params_.parallel && params_.parallel->worldSize() > 1) {
        const TrainConfig& c = params_.config;
        // Losses that are a mean over the batch's images: a rank's rows give its share. The
        // pair, triplet and supervised-contrastive losses compare rows across the batch.
        static const std::set<std::string> perImage = {"baseline", "mixup", "cutmix", "cosine",
                                                       "cosine+ce"};
        if (!perImage.count(c.method))
            throw InputError("method '" + c.method +
                             "' cannot train on several processes: only methods whose loss is a "
                             "mean over images (baseline, mixup, cutmix, cosine, cosine+ce) can");
        const int world = params_.parallel->worldSize();
        if (c.batch_size < 2 * world)
            throw InputError("batch " + std::to_string(c.batch_size) + " on " +
                             std::to_string(world) + " processes: each needs at least 2 rows "
                             "(BatchNorm); use a batch of at least " + std::to_string(2 * world));
        if (params_.parallel->rank() != 0) {
            if (params_.resume) keepStoredArithmetic(params_.config, params_.runDir);
            return runOnImages(nullptr, nullptr, cancel);
        }
    }
    // The lock is taken before decoding and held to the end: a resume or a comparison that
    // looks meanwhile sees a busy folder, not a free or stopped one.
    if (params_.resume) {
        RunFolder folder = RunFolder::reopen(params_.runDir);
        keepStoredArithmetic(params_.config, params_.runDir);
        return runIn(folder, listener, cancel);
    }
    RunFolder::checkFree(params_.runDir);
    NewRunClaim claim(params_.runDir);
    RunResult r;
    try {
        r = runIn(claim.folder(), listener, cancel);
    } catch (...) {
        if (!wrote_) claim.giveBack();
        throw;
    }
    if (!wrote_) claim.giveBack();
    return r;
}

RunResult TrainJob::runIn(RunFolder& folder, TrainListener* listener,
                          const std::atomic<bool>* cancel) {
    const TrainConfig& c = params_.config;
    if (c.usesFeatureCache() && !c.features_from.empty())
        return runOnFeatures(folder, listener, cancel);
    return runOnImages(&folder, listener, cancel);
}

RunResult TrainJob::finish(RunFolder& folder, RunResult result, const SplitSizes& sizes,
                           const std::string& deviceText, TrainListener* listener,
                           std::chrono::steady_clock::time_point t0) {
    result.seconds = result.priorSeconds +
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    try {
        nlohmann::json j = resultJson(result, &sizes, deviceText);
        j["world_size"] = params_.parallel ? params_.parallel->worldSize() : 1;
        folder.writeJson("result.json", j);
    } catch (const std::exception& e) {
        if (result.status == RunStatus::Finished) {
            result.status = RunStatus::Failed;
            result.message = e.what();
            if (const auto* w = dynamic_cast<const WriteError*>(&e)) result.writeErrno = w->error;
        }
    }
    if (listener) {
        if (result.status == RunStatus::Finished)
            listener->finished(result);
        else
            listener->failed(result);
    }
    return result;
}

RunResult TrainJob::runOnFeatures(RunFolder& folder, TrainListener* listener,
                                  const std::atomic<bool>* cancel) {
    const auto t0 = std::chrono::steady_clock::now();
    const TrainConfig& c = params_.config;
    const std::string sourceMethod = checkFeatureSource(c);
    const std::string cachePath = (std::filesystem::path(c.features_from) / "features.pt").string();
    const FeatureCache cache = loadFeatureCache(cachePath);
    const int threads = applyThreadCount(c.threads);
    const std::string deviceText = describeDevice(torch::kCPU, threads);

    RunResult result;
    result.runDir = params_.runDir;
    const SplitSizes sizes{cache.train.y.size(0), cache.val.y.size(0), cache.test.y.size(0)};
    wrote_ = true;
    try {
        // Quick enough to start over: a resume repeats the whole method.
        if (params_.resume) folder.keepEpochsUpTo(0);
        if (!params_.resume) folder.writeConfig(c);
        // The class names come from the source run, so this run's confusion matrix is named.
        nlohmann::json classes = cache.numClasses();
        SplitIds ids;  // the source run's samples, in its cache's order
        std::vector<std::string> classNames;
        try {
            const auto source = readJsonFile(
                (std::filesystem::path(c.features_from) / "manifest.json").string());
            if (source.at("classes").size() == size_t(cache.numClasses())) {
                classes = source.at("classes");
                classNames = classes.get<std::vector<std::string>>();
            }
            ids = manifestIds(source);
        } catch (const std::exception&) {  // unreadable or older: classes by number, no ids
        }
        folder.writeJson("manifest.json",
                         {{"features_from", std::filesystem::absolute(c.features_from).string()},
                          {"features_method", sourceMethod},
                          {"feature_dim", cache.dim()},
                          {"classes", classes}});
        announce(listener, params_.runDir, deviceText, sizes, 0, plannedEpochs(c, false),
                 c.batch_size);
        torch::manual_seed(static_cast<uint64_t>(c.seed));
        StageSink sink(listener, folder, result, 0);
        runFeatureMethod(c, cache, sink.sink(), cancel, result);
        writePredictions(folder, result.predictions, ids, classNames);
        result.status = RunStatus::Finished;
    } catch (...) {
        setStatusFromException(result, c, params_.resume);
    }
    return finish(folder, result, sizes, deviceText, listener, t0);
}

RunResult TrainJob::runOnImages(RunFolder* folderOrNull, TrainListener* listener,
                                const std::atomic<bool>* cancel) {
    const auto t0 = std::chrono::steady_clock::now();
    const TrainConfig& c = params_.config;
    const torch::Device device = resolveDevice(c.device);
    const int threads = applyThreadCount(c.threads);
    const std::string deviceText = describeDevice(device, threads);

    auto source = opener_(c);
    const ResolvedSetup setup = resolveSetup(c, source->index());
    const ProtocolOptions protocol = protocolOptionsOf(c);
    // A resume trains on exactly the samples its manifest names, and keeps the manifest; one
    // stopped before the manifest was written draws as a new run does.
    const std::string manifestPath = params_.runDir + "/manifest.json";
    std::error_code ec;
    const bool fromManifest =
        params_.resume && std::filesystem::exists(std::filesystem::symlink_status(manifestPath, ec));
    ProtocolSplits splits;
    try {
        splits = fromManifest ? splitsFromManifest(*source, readJsonFile(manifestPath),
                                                   manifestPath, setup.cache, cancel)
                              : drawSplits(*source, protocol, setup.cache, cancel);
    } catch (const Cancelled& e) {
        RunResult r;  // nothing was written yet, so there is no folder to keep
        r.runDir = params_.runDir;
        r.status = RunStatus::Cancelled;
        r.message = e.what();
        if (listener) listener->failed(r);
        return r;
    }

    RunResult result;
    result.runDir = params_.runDir;
    result.skippedFiles = static_cast<int64_t>(splits.skipped.size());
    wrote_ = true;
    const SplitSizes sizes{splits.train.images.size(0), splits.val.images.size(0),
                           splits.test.images.size(0)};
    try {
        torch::manual_seed(static_cast<uint64_t>(c.seed));
        ResNetOptions ro;
        ro.arch = c.model;
        ro.numClasses = static_cast<int64_t>(splits.classes.size());
        ro.inChannels = setup.cache.channels;
        ro.smallStem = setup.smallStem;
        ro.zeroInitResidual = c.zero_init_residual;
        ResNet model(ro);

        // Methods on cached features train their baseline first, in this same run folder.
        const bool onFeatures = c.usesFeatureCache();
        const MethodInfo& imageMethod = imageStageOf(c);
        TrainConfig imageConfig = c;
        imageConfig.method = imageMethod.name;
        TrainerInputs in;
        in.config = imageConfig;
        in.augment = trainAugmentOptions(c, setup);
        in.normalizer = runNormalizer(setup, splits.train.images);
        auto values = [](const torch::Tensor& t) {
            const auto f = t.to(torch::kCPU, torch::kFloat32).contiguous();
            return std::vector<float>(f.data_ptr<float>(), f.data_ptr<float>() + f.numel());
        };
        if (!params_.resume && folderOrNull) folderOrNull->writeConfig(c);
        if (!fromManifest && folderOrNull) {
            nlohmann::json manifest = manifestJson(splits, source->index(), protocol);
            // Everything predict needs to rebuild the evaluation view of this run.
            manifest["setup"] = {
                {"input_size", setup.inputSize},
                {"cache", {setup.cache.channels, setup.cache.height, setup.cache.width}},
                {"augment", setup.augment},
                {"stem", setup.smallStem ? "small" : "imagenet"},
                {"normalize_mean", values(in.normalizer.mean)},
                {"normalize_std", values(in.normalizer.std)}};
            folderOrNull->writeJson("manifest.json", manifest);
        }
        in.device = device;
        in.resume = params_.resume;
        in.parallel = params_.parallel;
        auto objective = imageMethod.objective(
            {imageConfig, in.augment, in.normalizer, model->featureDim(), ro.numClasses});
        // An objective that does not classify trains the encoder; a classifier follows.
        const bool encoderOnly = !onFeatures && !objective->classifies();
        if (onFeatures) in.stage = imageMethod.name;
        if (encoderOnly) in.stage = "encoder";
        announce(listener, params_.runDir, deviceText, sizes, result.skippedFiles,
                 plannedEpochs(c, true), c.batch_size);

        Trainer trainer(model, in, *objective);
        if (!folderOrNull) {
            ReadOnlyStore store(params_.runDir);
            trainer.run(splits, nullptr, cancel, &store, result);
            result.status = RunStatus::Finished;
            return result;
        }
        RunFolder& folder = *folderOrNull;
        trainer.run(splits, listener, cancel, &folder, result);

        // The best epoch's features: what the two-stage methods and the graph viewer read.
        const FeatureCache cache = buildFeatureCache(
            model, splits, evalDataFor(c, in.augment, in.normalizer, device, cancel),
            &trainer.finalTestEvaluation());
        saveFeatureCache(cache, folder.path("features.pt"));

        StageSink sink(listener, folder, result, c.epochs);
        if (!onFeatures && !encoderOnly) result.predictions = cachePredictions(cache);
        if (onFeatures) {
            moveStageFigures(result, imageMethod.name);
            result.testConfusion.clear();  // the baseline's, not this method's
            // Seeded as a run reading these features from another folder is, so both agree.
            torch::manual_seed(static_cast<uint64_t>(c.seed));
            runFeatureMethod(c, cache, sink.sink(), cancel, result);
            result.bestEpoch += c.epochs;
        } else if (encoderOnly) {
            // Stage 2: a linear classifier on the frozen encoder (SupContrast's linear eval).
            moveStageFigures(result, "encoder_ncm");
            torch::manual_seed(static_cast<uint64_t>(c.seed));
            const Standardizer z = Standardizer::fit(cache.train.x);
            torch::nn::Sequential linear(torch::nn::Linear(cache.dim(), cache.numClasses()));
            const FeatureFit fit = fitClassifier(
                linear, {z.apply(cache.train.x), cache.train.y},
                {z.apply(cache.val.x), cache.val.y}, {z.apply(cache.test.x), cache.test.y},
                FeatureTrainOptions::fromConfig(c, c.classifier_epochs, "classifier", 0),
                sink.sink(), cancel);
            takeFit(fit, c.epochs, result);
        }
        writePredictions(folder, result.predictions, idsOf(splits), splits.classes);
        result.status = RunStatus::Finished;
    } catch (...) {
        setStatusFromException(result, c, params_.resume);
    }
    if (!folderOrNull) return result;
    return finish(*folderOrNull, result, sizes, deviceText, listener, t0);
}

}  // namespace fewdata
