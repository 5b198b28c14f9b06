#include "core/run/ablation_plan.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/base/atomic_file.h"
#include "core/base/errors.h"
#include "core/base/file_read.h"
#include "core/base/json_text.h"
#include "core/config/config_table.h"
#include "core/config/recipe.h"
#include "core/run/tune_space.h"

namespace fewdata {
namespace fs = std::filesystem;
namespace {

std::string valueText(const nlohmann::json& v) {
    return v.is_string() ? v.get<std::string>() : jsonText(v);
}

// One path component a shell and every file system take: a text value may hold anything.
std::string folderPart(const std::string& s) {
    std::string out;
    for (unsigned char c : s)
        out += std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '=' ? char(c) : '_';
    return out;
}

// In config table order, whatever order the keys were given in: one recipe, one folder.
std::string folderOf(const nlohmann::json& changes) {
    std::string out;
    for (const ConfigKey& k : configTable())
        if (changes.contains(k.key))
            out += (out.empty() ? "" : "+") +
                   folderPart(std::string(k.key) + "=" + valueText(changes.at(k.key)));
    return out;
}

bool isPlainFolderName(const std::string& name) {
    return !name.empty() && name != "." && name != ".." &&
           name.find('/') == std::string::npos && name.find('\0') == std::string::npos;
}

AblationPlan planFromJson(const nlohmann::json& j, const std::string& source) {
    auto bad = [&](const std::string& why) {
        return InputError("'" + source + "' is not an ablation request the workbench wrote: " +
                          why);
    };
    if (!j.is_object() || j.value("format", nlohmann::json()) != 1)
        throw bad("no \"format\": 1");
    AblationPlan plan;
    const auto ref = j.value("reference", nlohmann::json());
    if (!ref.is_string() || !isPlainFolderName(ref.get<std::string>()))
        throw bad("\"reference\" is not a folder name inside it");
    plan.reference = ref.get<std::string>();
    const auto variants = j.value("variants", nlohmann::json());
    if (!variants.is_array()) throw bad("\"variants\" is not a list");
    for (const auto& v : variants) {
        if (!v.is_object() || !v.value("folder", nlohmann::json()).is_string() ||
            !v.value("changes", nlohmann::json()).is_object() || v.at("changes").empty())
            throw bad("a variant without \"folder\" or \"changes\"");
        const std::string folder = v.at("folder").get<std::string>();
        if (!isPlainFolderName(folder) || folder == plan.reference)
            throw bad("variant folder " + jsonText(nlohmann::json(folder)) +
                      " is not a folder name inside it other than the reference's");
        plan.variants.push_back({folder, v.at("changes")});
    }
    return plan;
}

nlohmann::json planJson(const AblationPlan& plan) {
    nlohmann::json variants = nlohmann::json::array();
    for (const auto& v : plan.variants)
        variants.push_back({{"folder", v.folder}, {"changes", v.changes}});
    return {{"format", 1}, {"reference", plan.reference}, {"variants", variants}};
}

}  // namespace

AblationVariant parseAblationVariant(const std::string& text, const TrainConfig& base) {
    if (text.find_first_not_of(" \t") == std::string::npos)
        throw InputError("--ablate is empty: give key=value[,key=value...], e.g. ema_decay=0.99");
    // The tuner's parser types and validates each value; a range or a list is not a variant.
    const TuneSpace space = parseTuneSpace(text, base, "--ablate");
    const nlohmann::json reference = base.toJson();
    AblationVariant v;
    v.changes = nlohmann::json::object();
    for (const TuneDimension& d : space.dimensions) {
        if (d.kind != TuneDimension::Choice || d.choices.size() != 1)
            throw InputError("--ablate: '" + d.key + "' in '" + text +
                             "' takes one value (key=value): a variant is one recipe, not a "
                             "range or a list");
        if (reference.value(d.key, nlohmann::json()) == d.choices.front())
            throw InputError("--ablate: " + d.key + "=" + valueText(d.choices.front()) +
                             " in '" + text + "' is the reference's own value: it changes "
                             "nothing");
        v.changes[d.key] = d.choices.front();
    }
    v.folder = folderOf(v.changes);
    if (v.folder.size() > kMaxFolderName)
        throw InputError("--ablate '" + text + "' makes a folder name of " +
                         std::to_string(v.folder.size()) + " bytes, more than a file system "
                         "takes (" + std::to_string(kMaxFolderName) + "): ablate fewer keys at once");
    return v;
}

void checkVariantForMethod(const AblationVariant& v, const TrainConfig& base,
                           const std::string& method) {
    TrainConfig reference = base;
    reference.method = method;
    // Also a key the method reads only in another setting (batch_classes without image
    // batches): the recipe, not the key's name, says whether anything changes.
    const std::string unchanged = recipeText(recipeOf(reference));
    for (auto it = v.changes.begin(); it != v.changes.end(); ++it) {
        nlohmann::json j = reference.toJson();
        j[it.key()] = it.value();
        if (recipeText(recipeOf(TrainConfig::fromJson(j))) == unchanged)
            throw InputError("--ablate: '" + it.key() + "=" + valueText(it.value()) +
                             "' does not change what method '" + method +
                             "' computes (its recipe stays the reference's): its runs would "
                             "repeat the reference's; ablate it in a study of the methods it "
                             "changes");
    }
}

TrainConfig variantConfig(const TrainConfig& base, const AblationVariant& v) {
    nlohmann::json j = base.toJson();
    for (auto it = v.changes.begin(); it != v.changes.end(); ++it) j[it.key()] = it.value();
    return TrainConfig::fromJson(j);
}

std::optional<AblationPlan> readAblationPlan(const std::string& dir) {
    const fs::path path = fs::path(dir) / kAblationFile;
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(path, ec))) return std::nullopt;
    return planFromJson(readJsonFile(path.string()), path.string());
}

AblationPlan mergedAblationPlan(const std::string& dir, const std::vector<AblationVariant>& asked) {
    const std::optional<AblationPlan> stored = readAblationPlan(dir);
    AblationPlan plan = stored ? *stored : AblationPlan{};
    for (const auto& v : asked) {
        auto same = std::find_if(plan.variants.begin(), plan.variants.end(),
                                 [&](const AblationVariant& s) {
                                     return s.folder == v.folder || s.changes == v.changes;
                                 });
        if (same == plan.variants.end())
            plan.variants.push_back(v);
        else if (same->changes != v.changes || same->folder != v.folder)
            throw InputError("'" + (fs::path(dir) / kAblationFile).string() + "' records folder '" +
                             same->folder + "' as " + jsonText(same->changes) + ", not '" +
                             v.folder + "' as " + jsonText(v.changes) +
                             "; use another output folder");
    }
    return plan;
}

AblationPlan recordAblationPlan(const std::string& dir, const std::vector<AblationVariant>& asked,
                                bool extend) {
    const std::optional<AblationPlan> stored = readAblationPlan(dir);
    if (stored && !extend) return *stored;
    const AblationPlan plan = mergedAblationPlan(dir, asked);
    const bool changed = !stored || plan.variants.size() != stored->variants.size();
    if (changed) {
        fs::create_directories(dir);
        writeFileAtomically((fs::path(dir) / kAblationFile).string(), jsonText(planJson(plan), 2) + "\n");
    }
    return plan;
}

}  // namespace fewdata
