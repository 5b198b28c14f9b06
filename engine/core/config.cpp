#include "core/config.h"
#include "core/json_text.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <variant>

namespace fewdata {
namespace {

using FieldPtr = std::variant<int TrainConfig::*, double TrainConfig::*, bool TrainConfig::*,
                              std::string TrainConfig::*>;
struct Field {
    const char* key;
    FieldPtr member;
};

// One table drives parsing, serialisation and the error messages, so they cannot drift apart.
const Field kFields[] = {
    {"dataset", &TrainConfig::dataset},
    {"layout", &TrainConfig::layout},
    {"per_class", &TrainConfig::per_class},
    {"take_all_available", &TrainConfig::take_all_available},
    {"val_fraction", &TrainConfig::val_fraction},
    {"seed", &TrainConfig::seed},
    {"image_size", &TrainConfig::image_size},
    {"channels", &TrainConfig::channels},
    {"max_test_samples", &TrainConfig::max_test_samples},
    {"method", &TrainConfig::method},
    {"mix_alpha", &TrainConfig::mix_alpha},
    {"mix_probability", &TrainConfig::mix_probability},
    {"model", &TrainConfig::model},
    {"stem", &TrainConfig::stem},
    {"epochs", &TrainConfig::epochs},
    {"batch_size", &TrainConfig::batch_size},
    {"lr", &TrainConfig::lr},
    {"momentum", &TrainConfig::momentum},
    {"nesterov", &TrainConfig::nesterov},
    {"weight_decay", &TrainConfig::weight_decay},
    {"schedule", &TrainConfig::schedule},
    {"warmup_epochs", &TrainConfig::warmup_epochs},
    {"step_epochs", &TrainConfig::step_epochs},
    {"step_gamma", &TrainConfig::step_gamma},
    {"label_smoothing", &TrainConfig::label_smoothing},
    {"augment", &TrainConfig::augment},
    {"pad", &TrainConfig::pad},
    {"flip", &TrainConfig::flip},
    {"cosine_ce_weight", &TrainConfig::cosine_ce_weight},
    {"supcon_temperature", &TrainConfig::supcon_temperature},
    {"projection_dim", &TrainConfig::projection_dim},
    {"contrastive_margin", &TrainConfig::contrastive_margin},
    {"triplet_margin", &TrainConfig::triplet_margin},
    {"siamese_input", &TrainConfig::siamese_input},
    {"features_from", &TrainConfig::features_from},
    {"hidden_dim", &TrainConfig::hidden_dim},
    {"embedding_dim", &TrainConfig::embedding_dim},
    {"embedding_epochs", &TrainConfig::embedding_epochs},
    {"classifier_epochs", &TrainConfig::classifier_epochs},
    {"reptile_ways", &TrainConfig::reptile_ways},
    {"reptile_shots", &TrainConfig::reptile_shots},
    {"reptile_iterations", &TrainConfig::reptile_iterations},
    {"reptile_inner_steps", &TrainConfig::reptile_inner_steps},
    {"reptile_inner_lr", &TrainConfig::reptile_inner_lr},
    {"reptile_meta_batch", &TrainConfig::reptile_meta_batch},
    {"reptile_epsilon", &TrainConfig::reptile_epsilon},
    {"gnn_normalization", &TrainConfig::gnn_normalization},
    {"gnn_hidden", &TrainConfig::gnn_hidden},
    {"gnn_dropout", &TrainConfig::gnn_dropout},
    {"gnn_lr", &TrainConfig::gnn_lr},
    {"gnn_weight_decay", &TrainConfig::gnn_weight_decay},
    {"gnn_epochs", &TrainConfig::gnn_epochs},
    {"gnn_classes", &TrainConfig::gnn_classes},
    {"gnn_feature_dims", &TrainConfig::gnn_feature_dims},
    {"gnn_max_nodes", &TrainConfig::gnn_max_nodes},
    {"device", &TrainConfig::device},
    {"threads", &TrainConfig::threads},
    {"eval_batch_size", &TrainConfig::eval_batch_size},
    {"precision", &TrainConfig::precision},
    {"channels_last", &TrainConfig::channels_last},
    {"prefetch", &TrainConfig::prefetch},
    {"checkpoint_every", &TrainConfig::checkpoint_every},
    {"checkpoint_seconds", &TrainConfig::checkpoint_seconds},
};

std::string typeName(const nlohmann::json& v) {
    return v.type_name();
}

void assignField(TrainConfig& cfg, const Field& f, const nlohmann::json& v) {
    const std::string key = f.key;
    std::visit(
        [&](auto member) {
            using T = std::decay_t<decltype(cfg.*member)>;
            if constexpr (std::is_same_v<T, int>) {
                if (!v.is_number_integer())
                    throw InputError("config key '" + key + "' must be an integer, got " +
                                     typeName(v) + " " + jsonText(v));
                const bool tooBig =
                    v.is_number_unsigned() && v.get<unsigned long long>() > INT32_MAX;
                const auto wide = v.get<long long>();
                if (tooBig || wide < INT32_MIN || wide > INT32_MAX)
                    throw InputError("config key '" + key + "' is out of range: " + jsonText(v));
                cfg.*member = static_cast<int>(wide);
            } else if constexpr (std::is_same_v<T, double>) {
                if (!v.is_number())
                    throw InputError("config key '" + key + "' must be a number, got " +
                                     typeName(v) + " " + jsonText(v));
                cfg.*member = v.get<double>();
            } else if constexpr (std::is_same_v<T, bool>) {
                if (!v.is_boolean())
                    throw InputError("config key '" + key + "' must be true or false, got " +
                                     typeName(v) + " " + jsonText(v));
                cfg.*member = v.get<bool>();
            } else {
                if (!v.is_string())
                    throw InputError("config key '" + key + "' must be a string, got " +
                                     typeName(v) + " " + jsonText(v));
                cfg.*member = v.get<std::string>();
            }
        },
        f.member);
}

void requireOneOf(const std::string& key, const std::string& value,
                  std::initializer_list<const char*> allowed) {
    for (const char* a : allowed)
        if (value == a) return;
    std::string list;
    for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    throw InputError("config key '" + key + "' has value '" + value + "'; allowed: " + list);
}

template <typename T>
void requireRange(const std::string& key, T value, T lo, T hi) {
    if (value < lo || value > hi) {
        std::ostringstream os;
        os << "config key '" << key << "' = " << value << " is out of range [" << lo << ", " << hi
           << "]";
        throw InputError(os.str());
    }
}

}  // namespace

TrainConfig TrainConfig::fromJson(const nlohmann::json& j) {
    if (!j.is_object()) throw InputError("config must be a JSON object, got " + typeName(j));
    TrainConfig cfg;
    for (auto it = j.begin(); it != j.end(); ++it) {
        const auto f = std::find_if(std::begin(kFields), std::end(kFields),
                                    [&](const Field& fd) { return it.key() == fd.key; });
        if (f == std::end(kFields)) throw InputError("unknown config key '" + it.key() + "'");
        assignField(cfg, *f, it.value());
    }
    cfg.validate();
    return cfg;
}

TrainConfig TrainConfig::fromFile(const std::string& path, const nlohmann::json& overrides,
                                  const nlohmann::json& base) {
    std::ifstream in(path);
    if (!in) throw InputError("cannot open config file '" + path + "'");
    nlohmann::json j;
    try {
        in >> j;
    } catch (const nlohmann::json::exception& e) {
        throw InputError("config file '" + path + "' is not valid JSON: " + e.what());
    }
    if (!j.is_object())
        throw InputError("config file '" + path + "' must hold a JSON object, got " + typeName(j));
    for (auto it = base.begin(); it != base.end(); ++it)
        if (!j.contains(it.key())) j[it.key()] = it.value();
    for (auto it = overrides.begin(); it != overrides.end(); ++it) j[it.key()] = it.value();
    try {
        return fromJson(j);
    } catch (const InputError& e) {
        throw InputError("config file '" + path + "': " + e.what());
    }
}

nlohmann::json TrainConfig::toJson() const {
    nlohmann::json j = nlohmann::json::object();
    for (const Field& f : kFields)
        std::visit([&](auto member) { j[f.key] = this->*member; }, f.member);
    return j;
}

bool TrainConfig::usesFeatureCache() const {
    return method == "reptile" || method == "gnn" ||
           ((method == "siamese-contrastive" || method == "siamese-triplet") &&
            siamese_input == "features");
}

bool TrainConfig::keyAffects(const std::string& key, const std::string& m) {
    auto starts = [&](const char* prefix) { return key.rfind(prefix, 0) == 0; };
    const bool siamese = m == "siamese-contrastive" || m == "siamese-triplet";
    if (starts("gnn_")) return m == "gnn";
    if (starts("reptile_")) return m == "reptile";
    if (starts("mix_")) return m == "mixup" || m == "cutmix";
    if (key == "cosine_ce_weight") return m == "cosine+ce";
    if (key == "supcon_temperature" || key == "projection_dim") return m == "supcon";
    if (key == "contrastive_margin") return m == "siamese-contrastive";
    if (key == "triplet_margin") return m == "siamese-triplet";
    if (key == "siamese_input" || key == "embedding_dim" || key == "embedding_epochs")
        return siamese;
    if (key == "hidden_dim") return siamese || m == "reptile";
    if (key == "classifier_epochs") return siamese || m == "reptile" || m == "supcon";
    if (key == "features_from") return siamese || m == "reptile" || m == "gnn";
    // How often a run saves, not what it learns.
    if (key == "checkpoint_every" || key == "checkpoint_seconds") return false;
    if (key == "prefetch") return false;  // the same batches, formed earlier
    return true;
}

void TrainConfig::validate() const {
    if (dataset.empty()) throw InputError("config key 'dataset' must not be empty");
    requireOneOf("layout", layout, {"auto", "imagefolder", "vipriors"});
    requireRange("per_class", per_class, 2, 1000000);
    // Model selection needs a validation image in every class.
    requireRange("val_fraction", val_fraction, 0.01, 0.9);
    requireRange("image_size", image_size, 0, 1024);
    if (image_size != 0 && image_size < 8)
        throw InputError("config key 'image_size' = " + std::to_string(image_size) +
                         " is too small (at least 8, or 0 for the dataset's own)");
    if (channels != 0 && channels != 1 && channels != 3)
        throw InputError("config key 'channels' must be 0 (dataset's own), 1 or 3, got " +
                         std::to_string(channels));
    requireRange("max_test_samples", max_test_samples, 0, INT32_MAX);
    requireOneOf("method", method,
                 {"baseline", "mixup", "cutmix", "cosine", "cosine+ce", "supcon",
                  "siamese-contrastive", "siamese-triplet", "reptile", "gnn"});
    requireRange("mix_alpha", mix_alpha, 1e-3, 100.0);
    requireRange("mix_probability", mix_probability, 0.0, 1.0);
    requireOneOf("model", model, {"resnet18", "resnet34", "resnet50"});
    requireOneOf("stem", stem, {"auto", "imagenet", "small"});
    requireRange("epochs", epochs, 1, 100000);
    requireRange("batch_size", batch_size, 1, 65536);
    requireRange("lr", lr, 0.0, 1e6);
    if (lr <= 0.0) throw InputError("config key 'lr' must be positive");
    requireRange("momentum", momentum, 0.0, 0.999999);
    requireRange("weight_decay", weight_decay, 0.0, 1.0);
    requireOneOf("schedule", schedule, {"cosine", "step"});
    requireRange("warmup_epochs", warmup_epochs, 0.0, double(epochs));
    requireRange("step_epochs", step_epochs, 1, 100000);
    requireRange("step_gamma", step_gamma, 0.0, 1.0);
    requireRange("label_smoothing", label_smoothing, 0.0, 0.99);
    requireOneOf("augment", augment,
                 {"auto", "pad-crop", "resize-crop", "random-resized-crop", "none"});
    requireRange("pad", pad, 0, 64);
    requireRange("cosine_ce_weight", cosine_ce_weight, 0.0, 100.0);
    requireRange("supcon_temperature", supcon_temperature, 1e-3, 10.0);
    requireRange("projection_dim", projection_dim, 2, 65536);
    requireRange("contrastive_margin", contrastive_margin, 0.0, 4.0);
    requireRange("triplet_margin", triplet_margin, 0.0, 4.0);
    requireOneOf("siamese_input", siamese_input, {"features", "images"});
    if (!features_from.empty() && !usesFeatureCache())
        throw InputError(
            "config key 'features_from' is for the methods on cached features "
            "(siamese-*, reptile, gnn), not '" +
            method + "'");
    requireRange("hidden_dim", hidden_dim, 1, 65536);
    requireRange("embedding_dim", embedding_dim, 1, 65536);
    requireRange("embedding_epochs", embedding_epochs, 1, 100000);
    requireRange("classifier_epochs", classifier_epochs, 1, 100000);
    requireRange("reptile_ways", reptile_ways, 2, 100000);
    requireRange("reptile_shots", reptile_shots, 1, 100000);
    requireRange("reptile_iterations", reptile_iterations, 1, 10000000);
    requireRange("reptile_inner_steps", reptile_inner_steps, 1, 10000);
    requireRange("reptile_inner_lr", reptile_inner_lr, 1e-8, 10.0);
    requireRange("reptile_meta_batch", reptile_meta_batch, 1, 10000);
    requireRange("reptile_epsilon", reptile_epsilon, 0.0, 10.0);
    requireOneOf("gnn_normalization", gnn_normalization, {"row", "symmetric"});
    requireRange("gnn_hidden", gnn_hidden, 1, 65536);
    requireRange("gnn_dropout", gnn_dropout, 0.0, 0.99);
    requireRange("gnn_lr", gnn_lr, 1e-8, 10.0);
    requireRange("gnn_weight_decay", gnn_weight_decay, 0.0, 1.0);
    requireRange("gnn_epochs", gnn_epochs, 1, 1000000);
    requireRange("gnn_classes", gnn_classes, 0, 1000000);
    if (gnn_classes == 1)
        throw InputError("config key 'gnn_classes' = 1: a classifier needs at least 2 classes");
    requireRange("gnn_feature_dims", gnn_feature_dims, 0, 1000000);
    requireRange("gnn_max_nodes", gnn_max_nodes, 10, 1000000);
    requireOneOf("device", device, {"auto", "cpu", "cuda"});
    requireRange("threads", threads, 0, 1024);
    requireRange("eval_batch_size", eval_batch_size, 1, 65536);
    requireOneOf("precision", precision, {"auto", "fp32", "bf16"});
    requireRange("checkpoint_every", checkpoint_every, 0, 1000000);
    requireRange("checkpoint_seconds", checkpoint_seconds, 0.0, 1e9);
}

}  // namespace fewdata
