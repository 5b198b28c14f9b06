// decode in a build without the OpenCV part of the engine (FEWDATA_CORE_ONLY).
#include <cstdio>

#include "bench_commands.h"

namespace fewdata::bench {

int runDecode(const DecodeArgs&) {
    std::fprintf(stderr,
                 "error: decode needs the OpenCV part of the engine; this build is "
                 "FEWDATA_CORE_ONLY\n");
    return 2;
}

}  // namespace fewdata::bench
