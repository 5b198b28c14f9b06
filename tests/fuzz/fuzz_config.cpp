// The config parser on arbitrary text: an InputError naming a key or the input, never a
// crash; whatever it accepts passes validation and survives a round trip.
#include "core/config/config.h"
#include "core/base/errors.h"
#include "core/base/file_read.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        // As config files are read: with the nesting limit.
        const auto j = fewdata::parseJsonText(
            std::string(reinterpret_cast<const char*>(data), size), "fuzz input");
        const fewdata::TrainConfig c = fewdata::TrainConfig::fromJson(j);
        c.validate();
        const fewdata::TrainConfig again = fewdata::TrainConfig::fromJson(c.toJson());
        if (again.toJson() != c.toJson()) __builtin_trap();
    } catch (const fewdata::InputError&) {
    }
    return 0;
}
