#include "core/config/recipe.h"

#include <algorithm>
#include <set>

#include "core/base/json_text.h"
#include "core/config/config_table.h"

namespace fewdata {

nlohmann::json recipeOf(const TrainConfig& c) {
    nlohmann::json r = nlohmann::json::object();
    for (const ConfigKey& k : configTable()) {
        const std::string key = k.key;
        if (!isRecipeKey(key) || key == "features_from" || !TrainConfig::keyAffects(key, c.method))
            continue;
        r[key] = configValue(c, k);
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
