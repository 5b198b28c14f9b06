// The IDX reader on arbitrary bytes, plain and (by zlib's own detection) gzip-compressed.
#include "core/base/errors.h"
#include "core/data/idx_reader.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto path = fuzzing::scratch() / "input.idx";
    fuzzing::writeFile(path, data, size);
    try {
        const fewdata::IdxArray a = fewdata::readIdxFile(path.string());
        size_t elements = 1;
        for (const int64_t d : a.dims) elements *= size_t(d);
        if (elements != a.data.size()) __builtin_trap();  // the header and the data disagree
    } catch (const fewdata::InputError&) {
    }
    return 0;
}
