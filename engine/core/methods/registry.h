// The method registry: one descriptor per method, registered from the method's own file
// (methods/<name>_method.cpp, listed once in methods/methods.cmake), in the manner of
// torchvision's register_model / get_model. Every layer that needs to know something about a
// method (validation, which keys affect it, planned epochs, what to train, the form's list,
// --help, the presets) asks here instead of comparing names.
//
// This header is the catalogue's interface and sits just above config/ in the layering (it
// names the training types by forward declaration only), so config validation and every
// layer above can ask it. It and the descriptors need no LibTorch: the sanitizer build
// compiles the catalogue with FEWDATA_CATALOGUE_ONLY, where the factories are null.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/config/config.h"

namespace fewdata {

class Objective;
struct AugmentOptions;
struct Normalizer;
struct FeatureCache;
struct EpochMetrics;
struct RunResult;
using EpochSink = std::function<void(const EpochMetrics&)>;  // as train/train_events.h has it

// What an image objective is built from (train/objective.h).
struct ObjectiveContext {
    const TrainConfig& config;
    const AugmentOptions& augment;
    const Normalizer& normalizer;
    int64_t featureDim = 0;
    int64_t numClasses = 0;
    // False for the batch preview: only prepare() is called, so no head is built (building one
    // would draw from LibTorch's global generator, which a run in progress owns).
    bool withHeads = true;
};

using ObjectiveFactory = std::unique_ptr<Objective> (*)(const ObjectiveContext&);
// A method on a baseline's cached penultimate features; fills the figures of `result`.
using FeatureRunner = void (*)(const TrainConfig&, const FeatureCache&, const EpochSink&,
                               const std::atomic<bool>* cancel, RunResult& result);

enum class StageKind {
    Images,    // an objective trained on images (the trainer's loop)
    Features,  // a second stage on a baseline's cached features
};

struct MethodInfo {
    std::string name;
    std::string description;  // one line, for the form's tooltip and --help
    StageKind kind = StageKind::Images;
    // The method-specific config keys it reads (KeyRole::Method in config_table.h); every
    // other learning key affects all methods.
    std::vector<std::string> keys;
    // For methods that can take either stage (Siamese: siamese_input): the stage a config
    // selects. Null: `kind` always.
    StageKind (*stageFor)(const TrainConfig&) = nullptr;
    // Epochs after the image stage, for progress displays (feature stages, a final classifier).
    int (*laterEpochs)(const TrainConfig&) = nullptr;
    // Images: the objective. Null for feature-only methods.
    ObjectiveFactory objective = nullptr;
    // Features: the runner. Its image stage trains `imageStage`'s objective first.
    FeatureRunner features = nullptr;
    std::string imageStage = "baseline";
    // Its best_model.pt alone classifies images (predict, submissions).
    bool classifiesImages = false;
    // Scored on the nodes of a graph that includes the test images (the GNN): its figures
    // belong in Table 2 beside the CNN's on the same nodes, not in Table 1.
    bool transductive = false;

    StageKind stage(const TrainConfig& c) const { return stageFor ? stageFor(c) : kind; }
    bool reads(const std::string& key) const;
};

class MethodRegistry {
public:
    void add(MethodInfo info);  // throws std::logic_error on a duplicate name
    const MethodInfo* find(const std::string& name) const;
    const std::vector<MethodInfo>& all() const { return methods_; }

private:
    std::vector<MethodInfo> methods_;
};

// The registry with every built-in method (registered on first use).
MethodRegistry& methodRegistry();
// The descriptor of `name`; throws InputError listing the known methods.
const MethodInfo& methodInfo(const std::string& name);
// The method whose objective trains the image stage of a run of `config`: its own, or for a
// method on cached features the one it builds on (imageStage).
const MethodInfo& imageStageOf(const TrainConfig& config);
// Whether `method` is registered as transductive (false for an unknown name).
bool isTransductive(const std::string& method);
// "a, b or c" over every registered method, for help texts.
std::string methodNamesText();

#ifdef FEWDATA_CATALOGUE_ONLY
#define FEWDATA_FACTORY(fn) nullptr
#else
#define FEWDATA_FACTORY(fn) (&fn)
#endif

}  // namespace fewdata
