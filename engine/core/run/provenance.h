// What made a run, for result.json: the workbench's version and LibTorch's. A table notes
// when runs of one row were made by different versions.
#pragma once

#include <string>

namespace fewdata {

// "0.1.0+<git describe>" in a git checkout, else the project version (fewdata_version.h).
std::string workbenchVersion();
std::string torchVersion();

}  // namespace fewdata
