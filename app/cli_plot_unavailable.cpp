// The Qt-free build (FEWDATA_CORE_ONLY, the GPU machine's) has no drawing code.
#include <cstdio>

#include "cli_plot.h"

namespace fewdata {

int runPlotCommand(const PlotCommand&, int, char**) {
    std::fprintf(stderr,
                 "error: this fewdata-cli was built without Qt (FEWDATA_CORE_ONLY): plot needs "
                 "the full build; copy the folder to a machine with it, or use export\n");
    return 2;
}

}  // namespace fewdata
