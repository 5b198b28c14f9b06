#include "core/run/tune_space.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <random>
#include <set>

#include "core/base/errors.h"
#include "core/base/json_text.h"
#include "core/config/config_table.h"

namespace fewdata {
namespace {

// The member type of a config key, in the order of ConfigMember's alternatives.
enum class ValueType { Int = 0, Double = 1, Bool = 2, Text = 3 };

ValueType typeOf(const ConfigKey& k) {
    return ValueType(k.member.index());
}

std::string trimmed(const std::string& s) {
    const size_t b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> parts;
    size_t from = 0;
    for (size_t at; (at = s.find(sep, from)) != std::string::npos; from = at + 1)
        parts.push_back(s.substr(from, at - from));
    parts.push_back(s.substr(from));
    return parts;
}

// A finite number written in full, whatever the locale ("0.1", "1e-3"); false otherwise.
bool parseNumber(const std::string& text, double& out) {
    if (text.empty()) return false;
    const char* end = text.data() + text.size();
    const auto r = std::from_chars(text.data(), end, out);
    return r.ec == std::errc() && r.ptr == end && std::isfinite(out);
}

std::string numberText(double v, bool integer) {
    return integer ? std::to_string(int64_t(v)) : nlohmann::json(v).dump();
}

std::string valueText(const nlohmann::json& v) {
    return v.is_string() ? v.get<std::string>() : v.dump();
}

// A value as the key's type, or InputError naming the value and the dimension.
nlohmann::json typedValue(const std::string& text, ValueType type, const std::string& key,
                          const std::string& item) {
    const std::string where = " in '" + item + "'";
    if (type == ValueType::Text) return text;
    if (type == ValueType::Bool) {
        if (text == "true") return true;
        if (text == "false") return false;
        throw InputError("--space: '" + text + "'" + where + " is not true or false (key '" +
                         key + "')");
    }
    double v = 0;
    if (!parseNumber(text, v))
        throw InputError("--space: '" + text + "'" + where + " is not a number (key '" + key +
                         "')");
    if (type == ValueType::Double) return v;
    if (v != std::floor(v) || v < INT_MIN || v > INT_MAX)
        throw InputError("--space: '" + text + "'" + where + " is not a whole number (key '" +
                         key + "' is an integer)");
    return int64_t(v);
}

// The config's own validation of one value over `base`, so the space cannot hold a value a
// run would refuse.
void checkValue(const TrainConfig& base, const std::string& key, const nlohmann::json& value,
                const std::string& item) {
    nlohmann::json j = base.toJson();
    j[key] = value;
    try {
        TrainConfig::fromJson(j);
    } catch (const InputError& e) {
        throw InputError("--space: " + key + "=" + valueText(value) + " in '" + item + "': " +
                         e.what());
    }
}

const ConfigKey& tunableKey(const std::string& key, const std::string& item) {
    const ConfigKey* k = findConfigKey(key);
    if (!k) throw InputError("--space: unknown key '" + key + "' in '" + item + "'");
    if (key == "seed")
        throw InputError("--space: 'seed' in '" + item +
                         "' is not part of a recipe: --seeds sets the seeds every recipe runs");
    if (key == "method")
        throw InputError("--space: 'method' in '" + item +
                         "' is not part of a recipe: tune searches one --method's, compare takes "
                         "--methods");
    if (key == "features_from")
        throw InputError("--space: 'features_from' in '" + item +
                         "' names a baseline run, not a value of a recipe");
    const auto& protocol = protocolKeys();
    if (std::find(protocol.begin(), protocol.end(), key) != protocol.end())
        throw InputError("--space: '" + key + "' in '" + item +
                         "' changes the data, not the recipe: runs scored on other images "
                         "cannot be ranked against each other");
    if (!isRecipeKey(key))
        throw InputError("--space: '" + key + "' in '" + item +
                         "' is an execution key: it changes where and how fast a run computes, "
                         "not what it learns");
    return *k;
}

TuneDimension parseRange(const std::string& value, bool log, ValueType type,
                         const std::string& key, const std::string& item) {
    const size_t dots = value.find("..");
    TuneDimension d;
    d.kind = log ? TuneDimension::LogUniform : TuneDimension::Uniform;
    d.integer = type == ValueType::Int;
    const std::string loText = trimmed(value.substr(0, dots));
    const std::string hiText = trimmed(value.substr(dots + 2));
    d.lo = typedValue(loText, type, key, item).get<double>();
    d.hi = typedValue(hiText, type, key, item).get<double>();
    if (d.lo > d.hi)
        throw InputError("--space: '" + item + "': the range's low end " + loText +
                         " is above its high end " + hiText);
    if (log && d.lo <= 0)
        throw InputError("--space: '" + item + "': a log range needs a low end above 0, got " +
                         loText);
    return d;
}

TuneDimension parseDimension(const std::string& item, const TrainConfig& base) {
    const size_t eq = item.find('=');
    if (eq == std::string::npos)
        throw InputError("--space: '" + item +
                         "' has no '=' (key=lo..hi, key=lo..hi:log or key=a|b|c)");
    const std::string key = trimmed(item.substr(0, eq));
    std::string value = trimmed(item.substr(eq + 1));
    if (key.empty()) throw InputError("--space: '" + item + "' has no key before '='");
    const ConfigKey& k = tunableKey(key, item);
    const ValueType type = typeOf(k);
    const bool numeric = type == ValueType::Int || type == ValueType::Double;
    bool log = false;
    // Text values may hold ':' (a dataset path); only numbers take a suffix.
    if (const size_t colon = value.find(':'); numeric && colon != std::string::npos) {
        const std::string suffix = value.substr(colon + 1);
        if (suffix != "log")
            throw InputError("--space: unknown suffix ':" + suffix + "' in '" + item +
                             "' (the only one is ':log')");
        log = true;
        value = trimmed(value.substr(0, colon));
    }
    const bool range = value.find("..") != std::string::npos;
    // Free text (a dataset path) may contain "..": only keys with a fixed set of values and
    // booleans are known not to.
    if (range && !numeric && (type == ValueType::Bool || !k.allowed.empty()))
        throw InputError("--space: '" + key + "' in '" + item +
                         "' takes values (a|b), not a range");
    TuneDimension d;
    if (numeric && range) {
        d = parseRange(value, log, type, key, item);
        for (double end : {d.lo, d.hi})
            checkValue(base, key,
                       d.integer ? nlohmann::json(int64_t(end)) : nlohmann::json(end), item);
    } else {
        if (log)
            throw InputError("--space: ':log' in '" + item + "' needs a range lo..hi");
        d.kind = TuneDimension::Choice;
        std::set<std::string> seen;
        for (const std::string& raw : split(value, '|')) {
            const std::string text = trimmed(raw);
            if (text.empty())
                throw InputError("--space: an empty value in '" + item +
                                 "' (values are separated by single '|')");
            const nlohmann::json v = typedValue(text, type, key, item);
            // jsonText: a value need not be UTF-8 (a folder name), and dump() would throw.
            if (!seen.insert(jsonText(v)).second)
                throw InputError("--space: '" + text + "' is listed twice in '" + item + "'");
            checkValue(base, key, v, item);
            d.choices.push_back(v);
        }
    }
    d.key = key;
    return d;
}

// [0, 1) from 53 bits of the generator: the same on every standard library.
double unitDraw(std::mt19937_64& rng) {
    return double(rng() >> 11) * 0x1.0p-53;
}

nlohmann::json draw(const TuneDimension& d, std::mt19937_64& rng) {
    const double u = unitDraw(rng);
    if (d.kind == TuneDimension::Choice) {
        const size_t i = std::min(size_t(u * double(d.choices.size())), d.choices.size() - 1);
        return d.choices[i];
    }
    double v = 0;
    if (d.kind == TuneDimension::LogUniform) {
        v = std::exp(std::log(d.lo) + u * (std::log(d.hi) - std::log(d.lo)));
        if (d.integer) v = std::round(v);
    } else if (d.integer) {
        v = std::floor(d.lo + u * (d.hi - d.lo + 1));
    } else {
        v = d.lo + u * (d.hi - d.lo);
    }
    v = std::clamp(v, d.lo, d.hi);  // rounding at the ends
    return d.integer ? nlohmann::json(int64_t(v)) : nlohmann::json(v);
}

TuneSpace parseSpace(const std::string& text, const TrainConfig& base) {
    if (trimmed(text).empty())
        throw InputError("--space is empty: give key=lo..hi, key=lo..hi:log or key=a|b|c, "
                         "separated by commas");
    TuneSpace space;
    std::set<std::string> keys;
    for (const std::string& raw : split(text, ',')) {
        const std::string item = trimmed(raw);
        if (item.empty())
            throw InputError("--space: an empty dimension in '" + text +
                             "' (two commas in a row, or one at an end)");
        TuneDimension d = parseDimension(item, base);
        if (!keys.insert(d.key).second)
            throw InputError("--space: key '" + d.key + "' is given twice ('" + item + "')");
        space.dimensions.push_back(std::move(d));
    }
    return space;
}

}  // namespace

TuneSpace parseTuneSpace(const std::string& text, const TrainConfig& base,
                         const std::string& flag) {
    try {
        return parseSpace(text, base);
    } catch (const InputError& e) {
        const std::string what = e.what();
        throw InputError(what.rfind("--space", 0) == 0 ? flag + what.substr(7) : what);
    }
}

std::string tuneSpaceText(const TuneSpace& space) {
    std::string out;
    for (const TuneDimension& d : space.dimensions) {
        if (!out.empty()) out += ",";
        out += d.key + "=";
        if (d.kind == TuneDimension::Choice) {
            for (size_t i = 0; i < d.choices.size(); ++i)
                out += (i ? "|" : "") + valueText(d.choices[i]);
        } else {
            out += numberText(d.lo, d.integer) + ".." + numberText(d.hi, d.integer);
            if (d.kind == TuneDimension::LogUniform) out += ":log";
        }
    }
    return out;
}

void checkSpaceForMethod(const TuneSpace& space, const std::string& method) {
    for (const TuneDimension& d : space.dimensions)
        if (!TrainConfig::keyAffects(d.key, method))
            throw InputError("--space: key '" + d.key + "' does not change what method '" +
                             method + "' computes: every trial would train the same recipe");
}

std::vector<nlohmann::json> sampleTrials(const TuneSpace& space, int trials, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<nlohmann::json> out;
    for (int t = 0; t < trials; ++t) {
        nlohmann::json values = nlohmann::json::object();
        for (const TuneDimension& d : space.dimensions) values[d.key] = draw(d, rng);
        out.push_back(std::move(values));
    }
    return out;
}

}  // namespace fewdata
