#include "core/config/config.h"
#include "core/base/file_read.h"

#include <cmath>
#include <cstdint>

#include "core/config/config_table.h"
#include "core/methods/registry.h"
#include "core/base/json_text.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <variant>

namespace fewdata {
namespace {

std::string typeName(const nlohmann::json& v) {
    return v.type_name();
}

void assignField(TrainConfig& cfg, const ConfigKey& f, const nlohmann::json& v) {
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

template <typename V>
[[noreturn]] void outOfRange(const std::string& key, V value, V lo, V hi) {
    std::ostringstream os;
    os << "config key '" << key << "' = " << value << " is out of range [" << lo << ", " << hi
       << "]";
    throw InputError(os.str());
}

// The checks the table implies for one key: finite numbers, the range, the allowed values.
void checkKey(const TrainConfig& c, const ConfigKey& k) {
    std::visit(
        [&](auto member) {
            using V = std::decay_t<decltype(c.*member)>;
            const V& v = c.*member;
            if constexpr (std::is_same_v<V, double>) {
                // A flag can carry what JSON cannot (--lr nan, --mix-alpha inf).
                if (!std::isfinite(v)) {
                    std::ostringstream os;
                    os << "config key '" << k.key << "' must be a finite number, got " << v;
                    throw InputError(os.str());
                }
                if (k.lo != k.hi && (v < k.lo || v > k.hi)) outOfRange(k.key, v, k.lo, k.hi);
            } else if constexpr (std::is_same_v<V, int>) {
                if (k.lo != k.hi && (v < k.lo || v > k.hi))
                    outOfRange<long long>(k.key, v, static_cast<long long>(k.lo),
                                          static_cast<long long>(k.hi));
            } else if constexpr (std::is_same_v<V, std::string>) {
                if (k.allowed.empty() ||
                    std::find(k.allowed.begin(), k.allowed.end(), v) != k.allowed.end())
                    return;
                std::string list;
                for (const auto& a : k.allowed) list += (list.empty() ? "" : ", ") + a;
                throw InputError("config key '" + std::string(k.key) + "' has value '" + v +
                                 "'; allowed: " + list);
            }
        },
        k.member);
}

}  // namespace

void checkSeedRange(int firstSeed, int seeds) {
    if (seeds < 1 || seeds > kMaxSeeds)
        throw InputError("--seeds " + std::to_string(seeds) + " is out of range [1, " +
                         std::to_string(kMaxSeeds) + "]");
    const int64_t last = int64_t(firstSeed) + seeds - 1;
    if (last > INT32_MAX)
        throw InputError("--seed " + std::to_string(firstSeed) + " with --seeds " +
                         std::to_string(seeds) + " would reach seed " + std::to_string(last) +
                         ", past the largest seed " + std::to_string(INT32_MAX) +
                         "; start at " + std::to_string(int64_t(INT32_MAX) - seeds + 1) +
                         " at most");
}

TrainConfig TrainConfig::fromJson(const nlohmann::json& j) {
    if (!j.is_object()) throw InputError("config must be a JSON object, got " + typeName(j));
    TrainConfig cfg;
    for (auto it = j.begin(); it != j.end(); ++it) {
        const ConfigKey* f = findConfigKey(it.key());
        if (!f) throw InputError("unknown config key '" + it.key() + "'");
        assignField(cfg, *f, it.value());
    }
    cfg.validate();
    return cfg;
}

TrainConfig TrainConfig::fromFile(const std::string& path, const nlohmann::json& overrides,
                                  const nlohmann::json& base) {
    nlohmann::json j;
    try {
        j = readJsonFile(path);
    } catch (const InputError& e) {
        throw InputError(std::string("config file: ") + e.what());
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
    for (const ConfigKey& f : configTable()) j[f.key] = configValue(*this, f);
    return j;
}

bool TrainConfig::usesFeatureCache() const {
    const MethodInfo* m = methodRegistry().find(method);
    return m && m->stage(*this) == StageKind::Features;
}

bool TrainConfig::usesBalancedBatches() const {
    if (!balanced_batches) return false;
    const MethodInfo* m = methodRegistry().find(method);
    return m && m->stage(*this) == StageKind::Images && m->reads("balanced_batches");
}

bool TrainConfig::keyAffects(const std::string& key, const std::string& method) {
    const ConfigKey* k = findConfigKey(key);
    if (!k) return true;  // an unknown key: assume the worst
    if (k->role == KeyRole::Execution) return false;
    if (k->role == KeyRole::Learning) return true;
    const MethodInfo* m = methodRegistry().find(method);
    return m && m->reads(key);
}

void TrainConfig::validate() const {
    // What one key's range cannot say, checked right after that key, so the first bad key in
    // table order is the one named.
    auto beyondTheTable = [this](const std::string& key) {
        if (key == "dataset" && dataset.empty())
            throw InputError("config key 'dataset' must not be empty");
        if (key == "image_size" && image_size != 0 && image_size < 8)
            throw InputError("config key 'image_size' = " + std::to_string(image_size) +
                             " is too small (at least 8, or 0 for the dataset's own)");
        if (key == "channels" && channels != 0 && channels != 1 && channels != 3)
            throw InputError("config key 'channels' must be 0 (dataset's own), 1 or 3, got " +
                             std::to_string(channels));
        if (key == "method") methodInfo(method);  // names the known methods
        if (key == "lr" && lr <= 0.0) throw InputError("config key 'lr' must be positive");
        if (key == "warmup_epochs" && (warmup_epochs < 0 || warmup_epochs > epochs))
            outOfRange("warmup_epochs", warmup_epochs, 0.0, double(epochs));
        if (key == "features_from" && !features_from.empty() && !usesFeatureCache()) {
            std::string onFeatures;
            for (const MethodInfo& m : methodRegistry().all())
                if (m.kind == StageKind::Features)
                    onFeatures += (onFeatures.empty() ? "" : ", ") + m.name;
            throw InputError("config key 'features_from' is for the methods on cached features (" +
                             onFeatures + "), not '" + method + "'");
        }
        // A balanced batch is P x M images and batch_size stays the batch: the epoch length,
        // the progress display and the preview's batch count do not depend on the method.
        if (key == "batch_classes" && usesBalancedBatches()) {
            if (batch_classes == 1)
                throw InputError(
                    "config key 'batch_classes' = 1: a balanced batch needs at least 2 classes "
                    "(negatives), or 0 for batch_size / batch_images_per_class");
            const int64_t product = int64_t(batch_classes) * batch_images_per_class;
            if (batch_classes > 0 && product != batch_size)
                throw InputError(
                    "config key 'batch_classes' = " + std::to_string(batch_classes) +
                    " times batch_images_per_class = " + std::to_string(batch_images_per_class) +
                    " is " + std::to_string(product) + ", not batch_size = " +
                    std::to_string(batch_size) + " (a balanced batch is P classes x M images)");
        }
        if (key == "gnn_max_nodes" && gnn_graph == "knn" && gnn_neighbours >= gnn_max_nodes &&
            keyAffects("gnn_neighbours", method))
            throw InputError("config key 'gnn_neighbours' = " + std::to_string(gnn_neighbours) +
                             " is not below gnn_max_nodes = " + std::to_string(gnn_max_nodes) +
                             ": a node of a graph that size has at most " +
                             std::to_string(gnn_max_nodes - 1) + " neighbours");
        if (key == "batch_images_per_class" && usesBalancedBatches() && batch_classes == 0 &&
            (batch_size % batch_images_per_class != 0 || batch_size / batch_images_per_class < 2))
            throw InputError(
                "config key 'batch_images_per_class' = " + std::to_string(batch_images_per_class) +
                " must divide batch_size = " + std::to_string(batch_size) +
                " into at least 2 classes per balanced batch (or set balanced_batches false)");
        if (key == "gnn_classes" && gnn_classes == 1)
            throw InputError("config key 'gnn_classes' = 1: a classifier needs at least 2 classes");
    };
    for (const ConfigKey& k : configTable()) {
        checkKey(*this, k);
        beyondTheTable(k.key);
    }
}

}  // namespace fewdata
