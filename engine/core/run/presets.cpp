#include "core/run/presets.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "core/base/errors.h"
#include "core/base/json_text.h"
#include "core/config/config.h"
#include "core/config/config_table.h"
#include "core/config/recipe.h"
#include "core/methods/registry.h"

namespace fewdata {
namespace {

const char* kPaper = "the paper, section 4.1";
const char* kToolkit = "VIPriors toolkit, image-classification/main.py (its default)";
const char* kStudy = "measured in docs/study (the embedded default's study)";
const char* kDefault = "this workbench's default";

// The Learning keys every preset sets, with the paper's values and sources.
ComparisonPreset paperPreset(std::string name, std::string description,
                             std::vector<std::string> methods) {
    ComparisonPreset p{std::move(name),
                       std::move(description),
                       std::move(methods),
                       nlohmann::json::object(),
                       {},
                       true};
    auto set = [&](const char* key, nlohmann::json value, const char* source) {
        p.config[key] = std::move(value);
        p.sources[key] = source;
    };
    p.sources["dataset"] = "yours (--dataset): the paper's is the VIPriors image-classification data";
    set("layout", "auto", "the dataset's own layout (VIPriors: train/val/test folders)");
    set("per_class", 50, "the paper, section 2: the VIPriors data, 50 images per class");
    set("take_all_available", false, kDefault);
    set("val_fraction", 0.2, "for a folder without a val split only; VIPriors has its own");
    set("image_size", 224, kPaper);
    set("channels", 0, "the dataset's own (3 for VIPriors)");
    set("max_test_samples", 0, "the whole test set");
    set("model", "resnet50", "the paper, abstract: ResNet-50, not pre-trained");
    set("stem", "imagenet", "torchvision's ResNet-50 (the toolkit's models.resnet50)");
    set("epochs", 90, kToolkit);
    set("batch_size", 256, kToolkit);
    set("lr", 0.1, kPaper);
    set("momentum", 0.9, kToolkit);
    set("nesterov", false, "the toolkit's torch.optim.SGD (no Nesterov)");
    set("weight_decay", 1e-4, kToolkit);
    set("schedule", "step", "the paper, section 4.1: divided by 10 every 30 epochs");
    set("step_epochs", 30, kPaper);
    set("step_gamma", 0.1, kPaper);
    set("warmup_epochs", 0.0, "neither the paper nor the toolkit warms up");
    set("label_smoothing", 0.0, "neither the paper nor the toolkit smooths labels");
    set("zero_init_residual", false, "torchvision's default, as the paper's code used");
    set("bn_momentum", 0.1, "PyTorch's default, as the paper's code used");
    set("bn_cumulative_start", false, "PyTorch's fixed momentum from the first step");
    set("ema_decay", 0.0, "the paper averages no weights");
    set("augment", "resize-crop",
        "the paper, section 4.1: resized to 256 x 256, randomly cropped to 224");
    set("pad", 4, "unused by resize-crop");
    set("flip", true, "the toolkit's RandomHorizontalFlip (the paper does not say)");
    set("augment_policy", "none", "the paper: crop and flip only");
    set("randaugment_ops", 2, "unused without a policy (torchvision's default)");
    set("randaugment_magnitude", 9, "unused without a policy (torchvision's default)");
    set("random_erasing", 0.0, "the paper does not erase");
    set("tta_flip", false, "the paper evaluates each image once");
    return p;
}

// The embedded default's study: the workbench's defaults with the study's 30 epochs.
ComparisonPreset studyPreset(std::string name, std::string description,
                             std::vector<std::string> methods) {
    ComparisonPreset p{std::move(name),
                       std::move(description),
                       std::move(methods),
                       nlohmann::json::object(),
                       {},
                       false};
    const TrainConfig defaults;
    for (const ConfigKey& k : configTable()) {
        if (k.role != KeyRole::Learning || std::string(k.key) == "seed" ||
            std::string(k.key) == "method")
            continue;
        p.config[k.key] = configValue(defaults, k);
        p.sources[k.key] = kDefault;
    }
    p.config["epochs"] = 30;
    p.sources["epochs"] = kStudy;
    p.sources["dataset"] = "the embedded default (Fashion-MNIST, Debian's dataset-fashion-mnist)";
    return p;
}

// The method keys of the preset's methods at today's defaults, so that a later change of a
// default does not change what the preset runs.
ComparisonPreset withMethodKeys(ComparisonPreset p) {
    const TrainConfig defaults;
    for (const auto& method : p.methods)
        for (const ConfigKey& k : configTable()) {
            const std::string key = k.key;
            if (k.role != KeyRole::Method || key == "features_from" || p.config.contains(key) ||
                !methodInfo(method).reads(key))
                continue;
            p.config[key] = configValue(defaults, k);
            p.sources[key] = p.datasetFromUser
                                 ? std::string(kDefault) + "; the paper does not say"
                                 : std::string(kDefault);
        }
    return p;
}

std::vector<ComparisonPreset> makePresets() {
    const std::vector<std::string> table1 = {
        "baseline",        "mixup",  "cutmix", "siamese-contrastive",
        "siamese-triplet", "cosine", "supcon", "reptile"};
    auto paperGnn = [](ComparisonPreset p) {
        p.config["gnn_classes"] = 10;
        p.sources["gnn_classes"] = "the paper, section 4.4: 10 randomly sampled classes";
        p.config["gnn_feature_dims"] = 100;
        p.sources["gnn_feature_dims"] = "the paper, section 4.4: the first 100 features";
        p.config["gnn_graph"] = "mean-distance";
        p.sources["gnn_graph"] =
            "the paper, eq. 6 to 8: an edge iff the distance is at most the mean distance";
        return p;
    };
    auto paperReptile = [](ComparisonPreset p) {
        p.config["reptile_ways"] = 5;
        p.config["reptile_shots"] = 5;
        p.config["reptile_iterations"] = 2000;
        for (const char* k : {"reptile_ways", "reptile_shots", "reptile_iterations"})
            p.sources[k] = "the paper, section 4.3: 5-way 5-shot tasks, 2,000 iterations";
        return p;
    };
    std::vector<ComparisonPreset> presets = {
        paperReptile(paperPreset(
            "paper-table1",
            "the paper's Table 1 with the paper's recipe (ResNet-50 from scratch, 224 px, SGD "
            "from 0.1 divided by 10 every 30 epochs): baseline, MixUp, CutMix, Siamese "
            "(contrastive, triplet), cosine, supervised contrastive, Reptile; for a VIPriors "
            "folder (--dataset)",
            table1)),
        paperGnn(paperPreset("paper-table2",
                             "the paper's Table 2 with the paper's recipe: baseline vs GNN on 10 "
                             "seeded random classes and the first 100 feature dimensions; for a "
                             "VIPriors folder (--dataset)",
                             {"baseline", "gnn"})),
        studyPreset("fmnist-table1",
                    "Table 1's methods with the recipe measured on the embedded default "
                    "(ResNet-18, 56 px, cosine schedule from 0.05, 30 epochs; docs/study)",
                    table1),
        paperGnn(studyPreset("fmnist-table2",
                             "Table 2 (baseline vs GNN, 10 classes, 100 dimensions) with the "
                             "recipe measured on the embedded default",
                             {"baseline", "gnn"})),
    };
    for (auto& p : presets) p = withMethodKeys(std::move(p));
    return presets;
}

std::string valueText(const nlohmann::json& v) {
    return v.is_string() ? v.get<std::string>() : jsonText(v);
}

}  // namespace

const std::vector<ComparisonPreset>& comparisonPresets() {
    static const std::vector<ComparisonPreset> presets = makePresets();
    return presets;
}

const ComparisonPreset& findPreset(const std::string& name) {
    std::string names;
    for (const auto& p : comparisonPresets()) {
        if (p.name == name) return p;
        names += (names.empty() ? "" : ", ") + p.name;
    }
    throw InputError("unknown preset '" + name + "'; presets: " + names);
}

nlohmann::json presetRecipe(const ComparisonPreset& preset, const std::string& method) {
    nlohmann::json config = TrainConfig().toJson();
    for (const auto& [k, v] : preset.config.items()) config[k] = v;
    config["method"] = method;
    return recipeOf(TrainConfig::fromJson(config));
}

std::string describePresets() {
    std::ostringstream os;
    for (const auto& p : comparisonPresets()) {
        os << p.name << ": " << p.description << "\n  methods:";
        for (const auto& m : p.methods) os << " " << m;
        os << "\n";
        // The union of the methods' recipes: the shared keys once, then each method's own.
        std::set<std::string> listed;
        for (const auto& m : p.methods) {
            const nlohmann::json r = presetRecipe(p, m);
            for (const ConfigKey& k : configTable()) {
                const std::string key = k.key;
                if (!r.contains(key) || listed.count(key) || key == "method") continue;
                listed.insert(key);
                std::string value = valueText(r[key]);
                if (key == "dataset" && p.datasetFromUser) value = "(--dataset: a VIPriors folder)";
                const auto source = p.sources.find(key);
                os << "  " << key << " = " << value << "  ["
                   << (source != p.sources.end() ? source->second
                       : k.role == KeyRole::Method
                           ? std::string(kDefault) + "; the paper does not say"
                           : kDefault)
                   << "]\n";
            }
        }
    }
    return os.str();
}

namespace {

// The values in which `recipes` differ from the preset's recipes for their methods.
std::vector<std::string> differencesFrom(const ComparisonPreset& p,
                                         const std::vector<nlohmann::json>& recipes) {
    std::vector<std::string> differing;
    for (const auto& recipe : recipes) {
        const nlohmann::json mine = presetRecipe(p, recipe.value("method", "baseline"));
        for (const auto& [key, value] : mine.items()) {
            if (key == "dataset" && p.datasetFromUser) continue;
            if (recipe.contains(key) && recipe[key] == value) continue;
            const std::string d =
                key + "=" +
                (recipe.contains(key) && !recipe[key].is_null() ? valueText(recipe[key])
                                                                : std::string("not recorded"));
            if (std::find(differing.begin(), differing.end(), d) == differing.end())
                differing.push_back(d);
        }
    }
    return differing;
}

bool lists(const ComparisonPreset& p, const nlohmann::json& recipe) {
    const std::string method = recipe.value("method", "");
    return std::find(p.methods.begin(), p.methods.end(), method) != p.methods.end();
}

}  // namespace

std::string recipeOrigin(const std::vector<nlohmann::json>& recipes) {
    // A folder may hold the runs of two presets (Table 1's and Table 2's): the preset that
    // lists most of the methods and differs least names them, the next preset the rest.
    std::vector<nlohmann::json> left = recipes;
    std::string out;
    while (!left.empty()) {
        const ComparisonPreset* best = nullptr;
        std::vector<nlohmann::json> bestCovered;
        std::vector<std::string> bestDiff;
        for (const auto& p : comparisonPresets()) {
            std::vector<nlohmann::json> covered;
            for (const auto& r : left)
                if (lists(p, r)) covered.push_back(r);
            if (covered.empty()) covered = left;  // methods of no preset: judged on values
            const auto diff = differencesFrom(p, covered);
            if (best && (covered.size() < bestCovered.size() ||
                         (covered.size() == bestCovered.size() && diff.size() >= bestDiff.size())))
                continue;
            best = &p;
            bestCovered = covered;
            bestDiff = diff;
        }
        std::string part = bestDiff.size() > 4 ? "its own recipe" : "preset " + best->name;
        for (size_t i = 0; i < bestDiff.size() && bestDiff.size() <= 4; ++i)
            part += (i ? ", " : " with ") + bestDiff[i];
        if (bestCovered.size() < left.size() || !out.empty()) {
            std::string methods;
            for (const auto& r : bestCovered)
                methods += (methods.empty() ? "" : ", ") + r.value("method", std::string("?"));
            part += " (" + methods + ")";
        }
        out += (out.empty() ? "" : "; ") + part;
        std::vector<nlohmann::json> rest;
        for (const auto& r : left)
            if (std::find(bestCovered.begin(), bestCovered.end(), r) == bestCovered.end())
                rest.push_back(r);
        left = rest;
    }
    return out;
}

}  // namespace fewdata
