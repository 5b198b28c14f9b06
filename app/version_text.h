// What `fewdata --version` and `fewdata-cli --version` print: "fewdata-cli 0.1.0 (LibTorch
// 1.13.0)". The version comes from project(VERSION) through the generated fewdata_version.h
// (with `git describe` appended in a checkout that is not at that version's tag), LibTorch's
// from the headers the program was built against (as result.json's torch_version).
#pragma once

#include <string>

#include <torch/version.h>

#include "fewdata_version.h"

namespace fewdata {

inline std::string versionText(const std::string& program) {
    return program + " " FEWDATA_VERSION_STRING " (LibTorch " TORCH_VERSION ")";
}

}  // namespace fewdata
