// The .npy reader of test_probabilities.npy on arbitrary bytes: what it accepts has the size
// its header states and writes back to the same bytes' data.
#include <cstring>

#include "core/base/errors.h"
#include "core/base/npy_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    fewdata::FloatMatrix m;
    try {
        m = fewdata::parseNpy(bytes, "fuzz.npy");
    } catch (const fewdata::InputError&) {
        return 0;
    }
    if (m.values.size() != size_t(m.rows) * size_t(m.cols)) __builtin_trap();
    const fewdata::FloatMatrix back = fewdata::parseNpy(fewdata::npyBytes(m), "back.npy");
    if (back.rows != m.rows || back.cols != m.cols ||
        (!m.values.empty() &&
         std::memcmp(back.values.data(), m.values.data(), m.values.size() * sizeof(float)) != 0))
        __builtin_trap();
    return 0;
}
