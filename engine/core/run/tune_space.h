// A search space for `fewdata-cli tune`: recipe keys with a range or a list of values each,
// "lr=0.01..0.2:log,weight_decay=1e-5..1e-3:log,epochs=30|60", and the seeded draws from it.
// No LibTorch: the parser is fuzzed with the other readers of untrusted text (tests/fuzz).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/config/config.h"

namespace fewdata {

struct TuneDimension {
    enum Kind { Uniform, LogUniform, Choice };
    Kind kind = Uniform;
    std::string key;
    bool integer = false;  // an int key: ranges draw whole numbers
    double lo = 0, hi = 0;                // Uniform, LogUniform
    std::vector<nlohmann::json> choices;  // Choice: typed as the key (int, double, bool, text)
};

struct TuneSpace {
    std::vector<TuneDimension> dimensions;  // in the order given
};

// Dimensions separated by commas: key=lo..hi (uniform), key=lo..hi:log (log-uniform, lo > 0)
// or key=a|b|c (one of the values). The key must be a recipe key other than method (config
// table); bool and text keys take values only. Every range end and value is put into `base`
// and validated there, so one the config refuses is refused here. Throws InputError naming
// the offending text and, for a bad value, the key and the value; the message starts with
// `flag` (another command's option that takes the same syntax).
TuneSpace parseTuneSpace(const std::string& text, const TrainConfig& base = TrainConfig{},
                         const std::string& flag = "--space");

// The space in one normal form ("lr=0.01..0.2:log,epochs=30|60"): two texts that parse to the
// same space give the same form, so a rerun is compared on what it means.
std::string tuneSpaceText(const TuneSpace& space);

// InputError naming the key when a dimension's key cannot change what `method` computes (the
// keys of other methods): such a search would train the same recipe under several names.
void checkSpaceForMethod(const TuneSpace& space, const std::string& method);

// `trials` draws, each an object key -> value. Deterministic: the same space and seed give the
// same draws on every machine (a 64-bit Mersenne Twister, mapped to [0, 1) by hand rather than
// through the library's distributions, whose algorithms the standard leaves open). Integer
// ranges give every whole number in [lo, hi] the same chance; log ranges are rounded after
// the draw.
std::vector<nlohmann::json> sampleTrials(const TuneSpace& space, int trials, uint64_t seed);

}  // namespace fewdata
