#include "core/results/submission.h"
#include "core/base/file_read.h"

#include <cstdio>
#include <sstream>
#include <unordered_map>

#include "core/base/csv.h"
#include "core/base/errors.h"

namespace fewdata {
namespace {

constexpr const char* kHeader = "Image IDs,Predictions";

std::string trimmed(std::string s) {
    while (!s.empty() && s.back() == ' ') s.pop_back();
    size_t i = 0;
    while (i < s.size() && s[i] == ' ') ++i;
    return s.substr(i);
}

// A record as it would be written back, for messages.
std::string recordText(const std::vector<std::string>& fields) {
    std::string out;
    for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csvField(fields[i]);
    return printableText(out);
}

}  // namespace

std::string printableText(const std::string& text) {
    std::string out;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out += ch;
        }
    }
    return out;
}

std::string submissionCsv(const std::vector<Prediction>& predictions) {
    std::ostringstream os;
    os << kHeader << "\n";
    for (const auto& p : predictions) os << csvField(p.id) << "," << p.label << "\n";
    return os.str();
}

std::vector<Prediction> readSubmission(const std::string& path) {
    std::string text = readRegularFile(path);
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text = text.substr(3);  // a spreadsheet's BOM
    // Lenient: ids padded with spaces, or with a quote in them, as older versions wrote them.
    const auto records = parseCsv(text, path, /*lenient=*/true);
    if (records.empty()) throw InputError("'" + path + "' is empty");
    std::vector<std::string> header;
    for (const auto& f : records[0]) header.push_back(trimmed(f));
    if (header != std::vector<std::string>{"Image IDs", "Predictions"})
        throw InputError("'" + path + "' record 1: expected the header '" + std::string(kHeader) +
                         "', found '" + recordText(records[0]) + "'");
    if (records.size() == 1)
        throw InputError("'" + path + "' has no row after its header: nothing to score");
    std::vector<Prediction> out;
    std::unordered_map<std::string, size_t> recordOf;
    for (size_t n = 2; n <= records.size(); ++n) {
        const auto& fields = records[n - 1];
        auto where = [&] { return "'" + path + "' record " + std::to_string(n) + ": "; };
        if (fields.size() != 2)
            throw InputError(where() + "expected 'id,label', found '" + recordText(fields) + "'");
        Prediction p;
        p.id = fields[0];  // unquoted ids are trimmed; spaces inside quotes are kept
        const std::string label = trimmed(fields[1]);
        size_t used = 0;
        try {
            p.label = std::stoll(label, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (p.id.empty() || used == 0 || used != label.size() || p.label < 0)
            throw InputError(where() + "expected an id and a class index >= 0, found '" +
                             recordText(fields) + "'");
        const auto [it, fresh] = recordOf.emplace(p.id, n);
        if (!fresh)
            throw InputError(where() + "id '" + printableText(p.id) +
                             "' was already given in record " + std::to_string(it->second));
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
