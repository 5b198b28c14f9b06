#include "core/config/recipe.h"

#include <algorithm>
#include <set>
#include <variant>

#include "core/base/json_text.h"
#include "core/config/config_table.h"

namespace fewdata {

namespace {

// Siamese networks list the balanced-batch keys for their image variant; on cached features
// (and with balancing off, P and M) the keys change nothing.
bool balancingKeyApplies(const TrainConfig& c, const std::string& key) {
    if (key == "balanced_batches") {
        TrainConfig on = c;
        on.balanced_batches = true;
        return on.usesBalancedBatches();
    }
    if (key == "batch_classes" || key == "batch_images_per_class") return c.usesBalancedBatches();
    return true;
}

// The GCN's neighbour count shapes only the k-nearest graph.
bool graphKeyApplies(const TrainConfig& c, const std::string& key) {
    return key != "gnn_neighbours" || c.gnn_graph == "knn";
}

}  // namespace

nlohmann::json recipeOf(const TrainConfig& c) {
    nlohmann::json r = nlohmann::json::object();
    for (const ConfigKey& k : configTable()) {
        const std::string key = k.key;
        if (!isRecipeKey(key) || key == "features_from" ||
            !TrainConfig::keyAffects(key, c.method) || !balancingKeyApplies(c, key) ||
            !graphKeyApplies(c, key))
            continue;
        r[key] = configValue(c, k);
    }
    return r;
}

nlohmann::json recipeOfStored(const nlohmann::json& stored) {
    TrainConfig c;
    std::set<std::string> illTyped;
    for (const ConfigKey& k : configTable()) {
        if (!stored.is_object() || !stored.contains(k.key)) {
            if (k.absentMeans) c.*std::get<std::string TrainConfig::*>(k.member) = k.absentMeans;
            continue;
        }
        try {
            std::visit(
                [&](auto member) {
                    using V = std::decay_t<decltype(c.*member)>;
                    c.*member = stored.at(k.key).template get<V>();
                },
                k.member);
        } catch (const nlohmann::json::exception&) {
            illTyped.insert(k.key);
        }
    }
    nlohmann::json r = recipeOf(c);
    for (auto& [key, value] : r.items()) {
        const bool absent = !stored.is_object() || !stored.contains(key);
        if (absent && !findConfigKey(key)->absentMeans)
            value = nullptr;
        else if (!absent && illTyped.count(key))
            value = stored.at(key);  // as written: never equal to a well-typed value
    }
    return r;
}

nlohmann::json sharedRecipeOf(const nlohmann::json& recipe) {
    nlohmann::json r = nlohmann::json::object();
    for (const auto& [key, value] : recipe.items()) {
        const ConfigKey* k = findConfigKey(key);
        if (k && k->role == KeyRole::Learning && key != "method") r[key] = value;
    }
    return r;
}

std::string recipeText(const nlohmann::json& recipe) {
    return jsonText(recipe);
}

std::vector<std::string> differingKeys(const std::vector<nlohmann::json>& recipes,
                                       const std::vector<std::string>& shown) {
    std::vector<std::string> keys;
    // The Learning keys first: "epochs=60, mix_alpha=0.2" reads as recipe, then method.
    for (KeyRole role : {KeyRole::Learning, KeyRole::Method})
        for (const ConfigKey& k : configTable()) {
            const std::string key = k.key;
            if (k.role != role || std::find(shown.begin(), shown.end(), key) != shown.end())
                continue;
            std::set<std::string> values;
            for (const auto& r : recipes)
                if (r.contains(key)) values.insert(jsonText(r[key]));
            if (values.size() > 1) keys.push_back(key);
        }
    return keys;
}

std::string recipeLabel(const nlohmann::json& recipe, const std::vector<std::string>& keys) {
    std::string out;
    for (const auto& key : keys) {
        if (!recipe.contains(key)) continue;
        const auto& v = recipe[key];
        out += (out.empty() ? "" : ", ") + key + "=" +
               (v.is_string() ? v.get<std::string>()
                : v.is_null() ? "not recorded"
                              : jsonText(v));
    }
    return out;
}

}  // namespace fewdata
