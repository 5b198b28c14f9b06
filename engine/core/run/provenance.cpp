// The only engine file that includes the generated version header: a new commit changes the
// header, and this is all that recompiles.
#include "core/run/provenance.h"

#include <torch/version.h>

#include "fewdata_version.h"

namespace fewdata {

std::string workbenchVersion() {
    return FEWDATA_VERSION_STRING;
}
std::string torchVersion() {
    return TORCH_VERSION;
}

}  // namespace fewdata
