// The config table: every key of TrainConfig once, with its type (the member it fills), CLI
// flag, help text, range or allowed values, and its role: whether it changes what a run learns
// (for every method, or only for the methods that read it) or only where and how fast it runs.
// Parsing, serialisation, validation, the CLI flags, which keys affect a method, the
// experiment form's ranges and a run's recipe are all derived from it.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "core/config/config.h"

namespace fewdata {

enum class KeyRole {
    Learning,   // changes what any run learns (data, protocol, model, optimisation)
    Method,     // changes only the methods whose descriptor lists it (methods/registry.h)
    Execution,  // where, how fast and how safely a run computes: results equal up to rounding
};

using ConfigMember = std::variant<int TrainConfig::*, double TrainConfig::*, bool TrainConfig::*,
                                  std::string TrainConfig::*>;

struct ConfigKey {
    const char* key;
    ConfigMember member;
    KeyRole role;
    const char* group;  // data, model, optimisation, augmentation, similarity, features, execution
    const char* flag;   // the CLI option, "--per-class"
    const char* help;
    double lo = 0, hi = 0;             // numbers: the allowed closed range (lo == hi: none)
    std::vector<std::string> allowed;  // strings: the allowed values (empty: any)
    // May change when a run is resumed (it does not change what the run computes).
    bool resumable = false;
    // A string key added after runs were kept, whose value here computes exactly what every
    // earlier version did: a config.json without the key trained as this value. Null: a run
    // without the key may have trained otherwise ("not recorded").
    const char* absentMeans = nullptr;
};

const std::vector<ConfigKey>& configTable();
// Null for an unknown key.
const ConfigKey* findConfigKey(const std::string& key);
// The key's value in `config` as JSON.
nlohmann::json configValue(const TrainConfig& config, const ConfigKey& key);
// The keys that fix which images a run sees and how they are split (the low-resource
// protocol): runs that agree on them draw the same train, validation and test splits.
const std::vector<std::string>& protocolKeys();
// Copies the protocol keys of `from` into `to`.
void copyProtocolKeys(const TrainConfig& from, TrainConfig& to);
bool sameProtocol(const TrainConfig& a, const TrainConfig& b);

// Whether `key` is part of a run's recipe: it can change what the run learns (the seed aside,
// which tells runs of one recipe apart).
bool isRecipeKey(const std::string& key);

}  // namespace fewdata
