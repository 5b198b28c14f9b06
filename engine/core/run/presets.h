// Named studies: a preset is a complete recipe (every key that can change what a run learns,
// config/recipe.h) and the methods it compares, with where each of its values comes from. The
// paper's two tables come twice: with the paper's own recipe, and with the recipe measured on
// the embedded default (docs/study).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fewdata {

struct ComparisonPreset {
    std::string name;
    std::string description;
    std::vector<std::string> methods;
    // The keys the preset sets over TrainConfig's defaults. Every Learning key is set, so a
    // change of a default does not change a preset.
    nlohmann::json config;
    // key -> where its value comes from ("the paper, section 4.1"), for the keys the preset sets.
    std::map<std::string, std::string> sources;
    // The dataset is the user's (--dataset): the paper's presets are for the VIPriors folder.
    bool datasetFromUser = false;
};

const std::vector<ComparisonPreset>& comparisonPresets();
// Throws InputError listing the presets for an unknown name.
const ComparisonPreset& findPreset(const std::string& name);

// The preset's complete recipe for `method` (config/recipe.h): its keys over the defaults.
nlohmann::json presetRecipe(const ComparisonPreset& preset, const std::string& method);

// Every preset with every key of its recipe (the Learning keys, then the method keys of its
// methods), its value and where the value comes from: `fewdata-cli compare --list-presets`.
std::string describePresets();

// Which preset made the runs of these recipes (each with its "method"), compared with the
// preset's recipe for that method: "preset fmnist-table1", "preset fmnist-table1 with
// epochs=60" (at most 4 differing values), else "its own recipe". The preset that lists the
// most of the methods, then differs least, names them; the rest go to the next preset
// ("preset fmnist-table1 (baseline, mixup); preset fmnist-table2 (gnn)"). The dataset is not
// compared for presets whose dataset is the user's.
std::string recipeOrigin(const std::vector<nlohmann::json>& recipes);

}  // namespace fewdata
