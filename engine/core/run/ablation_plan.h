// An ablation: one reference recipe and variants of it, each changing one key or a few, every
// one a study of its own (plan.json, run folders) under one folder:
//   DIR/ablation.json  the request (reference folder, each variant's folder and changes)
//   DIR/reference/     the study as the flags give it
//   DIR/<changes>/     the same study with the variant's keys set, e.g. ema_decay=0.99
// `export DIR` then pairs each variant with the reference by seed (results/ablation.h).
// No LibTorch: the request parser is fuzzed with the other readers of untrusted text.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/config/config.h"

namespace fewdata {

constexpr const char* kAblationFile = "ablation.json";
constexpr const char* kAblationReference = "reference";

struct AblationVariant {
    std::string folder;     // relative to the ablation folder: "ema_decay=0.99+tta_flip=true"
    nlohmann::json changes;  // key -> value, typed as the config key
};

struct AblationPlan {
    std::string reference = kAblationReference;  // folder of the reference study
    std::vector<AblationVariant> variants;
};

// A folder name longer than this is refused (most file systems take 255 bytes).
constexpr size_t kMaxFolderName = 255;

// "ema_decay=0.99,tta_flip=true": one value per recipe key (not the seed, the method, a data
// or protocol key, or an execution key), each validated over `base`. Throws InputError naming
// the text, the key or the value; also for a key set to `base`'s own value (nothing changes)
// and a folder name too long for a file system. The folder lists the keys in config table
// order, so one recipe given in two orders is one variant.
AblationVariant parseAblationVariant(const std::string& text, const TrainConfig& base);

// InputError naming the key when one of the variant's keys does not change the recipe of
// `method` over `base` (config/recipe.h): that method's runs would repeat the reference's
// under another folder, and the export would keep only one of each pair.
void checkVariantForMethod(const AblationVariant& v, const TrainConfig& base,
                           const std::string& method);

// `base` with the variant's keys set.
TrainConfig variantConfig(const TrainConfig& base, const AblationVariant& v);

// Empty when `dir` has no ablation.json; InputError naming the file when it cannot be read
// back (not JSON, another format, a folder name leaving `dir`).
std::optional<AblationPlan> readAblationPlan(const std::string& dir);

// The stored plan of `dir` (or a new one) with the `asked` variants added; InputError naming
// the file when a stored variant has the folder or the changes of an asked one but not both.
// Writes nothing: what compare checks before it writes anything.
AblationPlan mergedAblationPlan(const std::string& dir, const std::vector<AblationVariant>& asked);

// Records the variants in <dir>/ablation.json before anything runs: written when absent; with
// `extend`, new variants are added to a stored plan (the file replaced atomically), without
// it a stored plan is left as it is (compare --plan-only). Returns the folder's plan.
AblationPlan recordAblationPlan(const std::string& dir, const std::vector<AblationVariant>& asked,
                                bool extend = true);

}  // namespace fewdata
