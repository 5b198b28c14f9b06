// The config parser on arbitrary text: a JSON error or an InputError naming a key, never a
// crash; whatever it accepts passes validation and survives a round trip.
#include "core/config/config.h"
#include "core/base/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto j = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return 0;
    try {
        const fewdata::TrainConfig c = fewdata::TrainConfig::fromJson(j);
        c.validate();
        const fewdata::TrainConfig again = fewdata::TrainConfig::fromJson(c.toJson());
        if (again.toJson() != c.toJson()) __builtin_trap();
    } catch (const fewdata::InputError&) {
    }
    return 0;
}
