// A run's recipe: every config key that can change what it learns (the config table's
// Learning keys, and the Method keys its method reads), the seed aside; the balanced-batch
// keys only where the run's image stage can balance its batches. Runs of one recipe that
// differ only in the seed are repeats of one experiment; runs of different recipes never share
// a row of a table.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/config/config.h"

namespace fewdata {

// key -> value. features_from is left out: it names the seed's own baseline run, so it differs
// between the seeds of one recipe; that run's own recipe is the one the comparison gave it.
nlohmann::json recipeOf(const TrainConfig& config);
// The recipe of a config.json as a run wrote it: a key it lacks is null ("not recorded": a key
// added later may have changed what the method does, so today's default would be a guess) or,
// for a key whose table entry says what its absence means (ConfigKey::absentMeans), that; a
// key this version does not know is left out, and nothing is validated, so a run of an older
// version stays readable.
nlohmann::json recipeOfStored(const nlohmann::json& stored);
// The Learning keys alone, the method aside: what a method's runs share with the baseline
// runs they are paired with.
nlohmann::json sharedRecipeOf(const nlohmann::json& recipe);
// A stable text of a recipe (sorted keys), for comparing and grouping.
std::string recipeText(const nlohmann::json& recipe);

// The keys in which the given recipes differ from one another ("epochs", "lr"): the Learning
// keys, then the Method keys, each in config table order; keys that only some recipes hold (a
// method's own) count where held by two or more recipes with different values. `shown` keys
// (already columns of a table) are skipped.
std::vector<std::string> differingKeys(const std::vector<nlohmann::json>& recipes,
                                       const std::vector<std::string>& shown);
// "epochs=30, lr=0.1": the recipe's values of `keys` it holds; empty when none.
std::string recipeLabel(const nlohmann::json& recipe, const std::vector<std::string>& keys);

}  // namespace fewdata
