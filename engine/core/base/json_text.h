// JSON as text that never throws on a string which is not UTF-8 (a file or folder name in
// another encoding, read from disk rather than parsed): such bytes become U+FFFD, so a run's
// files and tables are still written. Found by tests/fuzz/fuzz_run_folder.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace fewdata {

inline std::string jsonText(const nlohmann::json& j, int indent = -1) {
    return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace fewdata
