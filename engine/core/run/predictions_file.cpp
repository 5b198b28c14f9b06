#include "core/run/predictions_file.h"
#include "core/base/file_read.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/base/csv.h"
#include "core/base/errors.h"

namespace fewdata {
namespace {

const std::vector<std::string> kHeader = {"id",           "split",          "true_index",
                                          "true_class",   "predicted_index", "predicted_class",
                                          "p_predicted",  "p_true"};

std::vector<std::string> idsOf(const nlohmann::json& list) {
    std::vector<std::string> out;
    if (!list.is_array()) return out;
    for (const auto& s : list)
        out.push_back(s.is_object() && s.contains("id") && s["id"].is_string()
                          ? s["id"].get<std::string>()
                          : std::string());
    return out;
}

std::string probability(double p) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", p);
    return buf;
}

}  // namespace

SplitIds manifestIds(const nlohmann::json& m) {
    SplitIds ids;
    if (!m.is_object()) return ids;
    if (m.contains("train")) ids.train = idsOf(m["train"]);
    if (m.contains("val")) ids.val = idsOf(m["val"]);
    if (m.contains("test") && m["test"].is_object() && m["test"].contains("samples"))
        ids.test = idsOf(m["test"]["samples"]);
    return ids;
}

std::string predictionsCsv(const Predictions& p, const SplitIds& ids,
                           const std::vector<std::string>& classes) {
    std::ostringstream os;
    for (size_t i = 0; i < kHeader.size(); ++i) os << (i ? "," : "") << kHeader[i];
    os << "\n";
    auto name = [&](int64_t c) {
        return c >= 0 && size_t(c) < classes.size() ? classes[size_t(c)] : std::to_string(c);
    };
    auto write = [&](const SplitPredictions& s, const std::vector<std::string>& splitIds,
                     const char* split) {
        for (size_t i = 0; i < s.size(); ++i) {
            const int64_t row = s.rows[i];
            const std::string id = row >= 0 && size_t(row) < splitIds.size() &&
                                           !splitIds[size_t(row)].empty()
                                       ? splitIds[size_t(row)]
                                       : std::string(split) + ":" + std::to_string(row);
            os << csvField(id) << "," << split << "," << s.truth[i] << ","
               << csvField(name(s.truth[i])) << "," << s.predicted[i] << ","
               << csvField(name(s.predicted[i])) << "," << probability(s.pPredicted[i]) << ","
               << probability(s.pTrue[i]) << "\n";
        }
    };
    write(p.train, ids.train, "train");
    write(p.val, ids.val, "val");
    write(p.test, ids.test, "test");
    return os.str();
}

std::vector<PredictionRow> readPredictions(const std::string& path) {
    const auto records = parseCsv(readRegularFile(path), path);
    if (records.empty() || records[0] != kHeader)
        throw InputError("'" + path + "' is not a predictions file (its first line is not '" +
                         "id,split,true_index,true_class,predicted_index,predicted_class," +
                         "p_predicted,p_true')");
    std::vector<PredictionRow> rows;
    rows.reserve(records.size() - 1);
    for (size_t r = 1; r < records.size(); ++r) {
        const auto& f = records[r];
        auto bad = [&](const std::string& why) {
            return InputError("'" + path + "' record " + std::to_string(r + 1) + ": " + why);
        };
        if (f.size() != kHeader.size())
            throw bad(std::to_string(f.size()) + " fields, expected " +
                      std::to_string(kHeader.size()));
        PredictionRow p;
        p.id = f[0];
        p.split = f[1];
        if (p.split != "train" && p.split != "val" && p.split != "test")
            throw bad("split '" + p.split + "' is not train, val or test");
        try {
            size_t used = 0;
            auto integer = [&](const std::string& s) {
                const long long v = std::stoll(s, &used);
                if (used != s.size() || v < 0) throw std::invalid_argument(s);
                return int64_t(v);
            };
            auto real = [&](const std::string& s) {
                const double v = std::stod(s, &used);
                if (used != s.size() || !(v >= 0 && v <= 1)) throw std::invalid_argument(s);
                return v;
            };
            p.trueIndex = integer(f[2]);
            p.predictedIndex = integer(f[4]);
            p.pPredicted = real(f[6]);
            p.pTrue = real(f[7]);
        } catch (const std::exception&) {
            throw bad("a class index or probability is not a number in range");
        }
        p.trueClass = f[3];
        p.predictedClass = f[5];
        rows.push_back(std::move(p));
    }
    return rows;
}

std::vector<PredictionRow> cellSamples(const std::vector<PredictionRow>& rows, int64_t trueIndex,
                                       int64_t predictedIndex) {
    std::vector<PredictionRow> out;
    for (const auto& r : rows)
        if (r.split == "test" && r.trueIndex == trueIndex && r.predictedIndex == predictedIndex)
            out.push_back(r);
    const bool diagonal = trueIndex == predictedIndex;
    std::stable_sort(out.begin(), out.end(), [&](const PredictionRow& a, const PredictionRow& b) {
        return diagonal ? a.pPredicted < b.pPredicted : a.pPredicted > b.pPredicted;
    });
    return out;
}

std::vector<PredictionRow> hardestSamples(const std::vector<PredictionRow>& rows, size_t limit) {
    std::vector<PredictionRow> out;
    for (const auto& r : rows)
        if (r.split != "test" && !r.correct()) out.push_back(r);
    std::stable_sort(out.begin(), out.end(), [](const PredictionRow& a, const PredictionRow& b) {
        return a.pPredicted > b.pPredicted;
    });
    if (out.size() > limit) out.resize(limit);
    return out;
}

}  // namespace fewdata
