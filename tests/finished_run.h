// A finished run folder as the engine writes it, without training: what the results views and
// the study pages read.
#pragma once

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/config/config.h"

namespace testhelp {

// `extra`: keys of config.json set over the defaults (a variant's recipe).
inline void writeFinishedRun(const std::filesystem::path& dir, const std::string& method,
                             int seed, double test, int perClass = fewdata::TrainConfig().per_class,
                             const nlohmann::json& extra = nlohmann::json::object()) {
    std::filesystem::create_directories(dir);
    nlohmann::json config = fewdata::TrainConfig().toJson();
    config["method"] = method;
    config["seed"] = seed;
    config["per_class"] = perClass;
    for (const auto& [key, value] : extra.items()) config[key] = value;
    std::ofstream(dir / "config.json") << config;
    std::ofstream(dir / "result.json") << nlohmann::json{{"format", 1},
                                                         {"status", "finished"},
                                                         {"val_accuracy", test},
                                                         {"test_accuracy", test},
                                                         {"test_accuracy_last", test},
                                                         {"seconds", 1.0},
                                                         {"best_epoch", 1}};
}

}  // namespace testhelp
