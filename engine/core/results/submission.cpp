#include "core/results/submission.h"
#include "core/base/file_read.h"

#include <fstream>
#include <sstream>
#include <unordered_map>

#include "core/base/errors.h"

namespace fewdata {
namespace {

constexpr const char* kHeader = "Image IDs,Predictions";

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\r' || s.back() == ' ')) s.pop_back();
    size_t i = 0;
    while (i < s.size() && s[i] == ' ') ++i;
    return s.substr(i);
}

}  // namespace

std::string submissionCsv(const std::vector<Prediction>& predictions) {
    std::ostringstream os;
    os << kHeader << "\n";
    for (const auto& p : predictions) os << p.id << "," << p.label << "\n";
    return os.str();
}

std::vector<Prediction> readSubmission(const std::string& path) {
    std::istringstream in(readRegularFile(path));
    std::string line;
    if (!std::getline(in, line)) throw InputError("'" + path + "' is empty");
    if (line.rfind("\xEF\xBB\xBF", 0) == 0) line = line.substr(3);  // a spreadsheet's BOM
    if (trimmed(line) != kHeader)
        throw InputError("'" + path + "' line 1: expected the header '" + std::string(kHeader) +
                         "', found '" + trimmed(line) + "'");
    std::vector<Prediction> out;
    std::unordered_map<std::string, int64_t> lineOf;
    for (int64_t n = 2; std::getline(in, line); ++n) {
        line = trimmed(line);
        if (line.empty()) continue;
        auto where = [&] { return "'" + path + "' line " + std::to_string(n) + ": "; };
        const auto comma = line.find(',');
        if (comma == std::string::npos || line.find(',', comma + 1) != std::string::npos)
            throw InputError(where() + "expected 'id,label', found '" + line + "'");
        Prediction p;
        p.id = trimmed(line.substr(0, comma));
        const std::string label = trimmed(line.substr(comma + 1));
        size_t used = 0;
        try {
            p.label = std::stoll(label, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (p.id.empty() || used == 0 || used != label.size() || p.label < 0)
            throw InputError(where() + "expected an id and a class index >= 0, found '" + line +
                             "'");
        const auto [it, fresh] = lineOf.emplace(p.id, n);
        if (!fresh)
            throw InputError(where() + "id '" + p.id + "' was already given on line " +
                             std::to_string(it->second));
        out.push_back(p);
    }
    return out;
}

ScoreReport scoreSubmission(const std::vector<Prediction>& truth,
                            const std::vector<Prediction>& submitted) {
    ScoreReport r;
    r.truthRows = static_cast<int64_t>(truth.size());
    std::unordered_map<std::string, int64_t> given;
    for (const auto& p : submitted) given[p.id] = p.label;
    std::unordered_map<std::string, int64_t> known;
    for (const auto& t : truth) {
        known[t.id] = t.label;
        const auto it = given.find(t.id);
        if (it == given.end()) {
            r.missing.push_back(t.id);
            continue;
        }
        ++r.scored;
        r.correct += it->second == t.label;
    }
    for (const auto& p : submitted)
        if (!known.count(p.id)) r.unknown.push_back(p.id);
    r.accuracy = r.truthRows ? 100.0 * r.correct / r.truthRows : 0.0;
    r.accuracyOfScored = r.scored ? 100.0 * r.correct / r.scored : 0.0;
    return r;
}

}  // namespace fewdata
