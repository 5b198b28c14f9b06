// The tune search-space parser on arbitrary text: an InputError naming the input, never a
// crash; whatever it accepts gives draws inside its ranges and choices that make valid
// configs, and its normal form parses to the same space. The same text as a compare --ablate
// variant: refused by name, or a folder name of one plain path component.
#include <algorithm>
#include <cmath>
#include <string>

#include "core/base/errors.h"
#include "core/run/ablation_plan.h"
#include "core/run/tune_space.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const fewdata::AblationVariant v = fewdata::parseAblationVariant(text, fewdata::TrainConfig());
        if (v.folder.empty() || v.folder == "." || v.folder == ".." ||
            v.folder.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                       "0123456789._-=+") != std::string::npos)
            __builtin_trap();
        fewdata::variantConfig(fewdata::TrainConfig(), v);
    } catch (const fewdata::InputError&) {
    }
    fewdata::TuneSpace space;
    try {
        space = fewdata::parseTuneSpace(text);
    } catch (const fewdata::InputError&) {
        return 0;
    }
    const std::string normal = fewdata::tuneSpaceText(space);
    if (fewdata::tuneSpaceText(fewdata::parseTuneSpace(normal)) != normal) __builtin_trap();
    for (const nlohmann::json& trial : fewdata::sampleTrials(space, 4, size)) {
        nlohmann::json config = fewdata::TrainConfig().toJson();
        for (const fewdata::TuneDimension& d : space.dimensions) {
            const nlohmann::json& v = trial.at(d.key);
            if (d.kind == fewdata::TuneDimension::Choice) {
                if (std::find(d.choices.begin(), d.choices.end(), v) == d.choices.end())
                    __builtin_trap();
            } else {
                const double x = v.get<double>();
                if (!(x >= d.lo && x <= d.hi)) __builtin_trap();
                if (d.integer && !v.is_number_integer()) __builtin_trap();
            }
            config[d.key] = v;
        }
        try {
            fewdata::TrainConfig::fromJson(config);
        } catch (const fewdata::InputError&) {
            // Values valid one by one may clash together (warmup_epochs above epochs): the
            // trial is refused by name when it is built, not here.
        }
    }
    return 0;
}
