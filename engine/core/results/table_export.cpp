#include "core/results/table_export.h"
#include "core/base/json_text.h"
#include "core/methods/registry.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "core/base/errors.h"

namespace fewdata {
namespace {

std::string fixed(double v, int digits = 2) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

std::string meanSd(const Interval& i, const char* pm) {
    return i.n < 2 ? fixed(i.mean) : fixed(i.mean) + pm + fixed(i.sd);
}

std::string interval(const Interval& i) {
    return i.n < 2 ? "-" : "[" + fixed(i.low) + ", " + fixed(i.high) + "]";
}

std::string difference(const MethodRow& r) {
    if (!r.testVsBaseline) return "-";
    const Interval& d = *r.testVsBaseline;
    const std::string sign = d.mean >= 0 ? "+" : "";
    return sign + fixed(d.mean) + (d.n < 2 ? "" : " " + interval(d));
}

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

std::string latexEscape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '_' || c == '&' || c == '%' || c == '#' || c == '$') out += '\\';
        out += c;
    }
    return out;
}

std::string signedInterval(const std::optional<Interval>& d) {
    if (!d) return "-";
    return (d->mean >= 0 ? "+" : "") + fixed(d->mean) + (d->n < 2 ? "" : " " + interval(*d));
}

std::string markdown(const RunScan& scan, const std::vector<MethodRow>& allRows) {
    std::ostringstream os;
    std::vector<MethodRow> rows;
    for (const auto& r : allRows)
        if (!isTransductive(r.method)) rows.push_back(r);
    const auto graph = graphLines(allRows);
    if (!rows.empty())
        os << "Table 1\n\n| Dataset | Model | K | Strategy | Validation (%) | Test (%) | Test 95 % "
              "CI | Test vs "
              "baseline | Last-epoch test (%) | Runs |\n"
           << "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
    for (const auto& r : rows)
        os << "| " << r.dataset << " | " << r.model << " | " << r.perClass << " | " << r.method
           << " | " << meanSd(r.val, " ± ") << " | " << meanSd(r.test, " ± ") << " | "
           << interval(r.test) << " | " << difference(r) << " | " << meanSd(r.testLast, " ± ")
           << " | " << r.test.n << " |\n";
    if (!graph.empty()) {
        os << (rows.empty() ? "" : "\n") << "Table 2 (same nodes)\n\n"
           << "| Dataset | Model | K | Strategy | Validation (%) | Test (%) | Test 95 % CI | Test "
              "vs "
              "CNN | Runs |\n"
           << "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
        for (const auto& g : graph)
            os << "| " << g.row->dataset << " | " << g.row->model << " | " << g.row->perClass
               << " | " << g.strategy << " | " << meanSd(g.val, " ± ") << " | "
               << meanSd(g.test, " ± ") << " | " << interval(g.test) << " | "
               << signedInterval(g.vsCnn) << " | " << g.test.n << " |\n";
    }
    if (!scan.problems.empty()) {
        os << "\nLeft out:\n";
        for (const auto& p : scan.problems) os << "- `" << p.dir << "`: " << p.reason << "\n";
    }
    return os.str();
}

std::string latex(const std::vector<MethodRow>& allRows) {
    std::ostringstream os;
    std::vector<MethodRow> rows;
    for (const auto& r : allRows)
        if (!isTransductive(r.method)) rows.push_back(r);
    os << "% needs \\usepackage{booktabs}\n\\begin{tabular}{llrrr}\n\\toprule\n"
       << "Model & Strategy & Validation (\\%) & Test (\\%) & $\\Delta$ test \\\\\n\\midrule\n";
    for (const auto& r : rows)
        os << latexEscape(r.model) << " & " << latexEscape(r.method) << " & $"
           << meanSd(r.val, " \\pm ") << "$ & $" << meanSd(r.test, " \\pm ") << "$ & "
           << (r.testVsBaseline ? "$" + difference(r) + "$" : "--") << " \\\\\n";
    os << "\\bottomrule\n\\end{tabular}\n";
    const auto graph = graphLines(allRows);
    if (!graph.empty()) {
        os << "\n% Table 2: on the same nodes\n\\begin{tabular}{llrrr}\n\\toprule\n"
           << "Model & Strategy & Validation (\\%) & Test (\\%) & $\\Delta$ test vs CNN \\\\\n"
           << "\\midrule\n";
        for (const auto& g : graph)
            os << latexEscape(g.row->model) << " & " << latexEscape(g.strategy) << " & $"
               << meanSd(g.val, " \\pm ") << "$ & $" << meanSd(g.test, " \\pm ") << "$ & "
               << (g.vsCnn ? "$" + signedInterval(g.vsCnn) + "$" : "--") << " \\\\\n";
        os << "\\bottomrule\n\\end{tabular}\n";
    }
    return os.str();
}

std::string csv(const RunScan& scan, const std::vector<MethodRow>& rows) {
    std::ostringstream os;
    os << "kind,dataset,model,per_class,method,seed,runs,val_mean,val_sd,test_mean,test_sd,test_ci_"
          "low,"
          "test_ci_high,test_vs_baseline,test_vs_baseline_low,test_vs_baseline_high,val,test,"
          "test_last,best_epoch,seconds,dir\n";
    for (const auto& r : rows) {
        os << "summary," << csvField(r.dataset) << "," << r.model << "," << r.perClass << ","
           << r.method << ",," << r.test.n << "," << fixed(r.val.mean, 4) << ","
           << fixed(r.val.sd, 4) << "," << fixed(r.test.mean, 4) << "," << fixed(r.test.sd, 4)
           << "," << fixed(r.test.low, 4) << "," << fixed(r.test.high, 4) << ",";
        if (r.testVsBaseline)
            os << fixed(r.testVsBaseline->mean, 4) << "," << fixed(r.testVsBaseline->low, 4) << ","
               << fixed(r.testVsBaseline->high, 4);
        else
            os << ",,";
        os << ",,,,,,\n";
    }
    for (const auto& g : graphLines(rows))
        os << "table2," << csvField(g.row->dataset) << "," << g.row->model << "," << g.row->perClass
           << "," << csvField(g.strategy) << ",," << g.test.n << "," << fixed(g.val.mean, 4) << ","
           << fixed(g.val.sd, 4) << "," << fixed(g.test.mean, 4) << "," << fixed(g.test.sd, 4)
           << "," << fixed(g.test.low, 4) << "," << fixed(g.test.high, 4) << ","
           << (g.vsCnn ? fixed(g.vsCnn->mean, 4) + "," + fixed(g.vsCnn->low, 4) + "," +
                             fixed(g.vsCnn->high, 4)
                       : std::string(",,"))
           << ",,,,,,\n";
    for (const auto& r : scan.runs)
        os << "run," << csvField(r.dataset) << "," << r.model << "," << r.perClass << ","
           << r.method << "," << r.seed << ",1,,,,,,,,,," << fixed(r.valAccuracy, 4) << ","
           << fixed(r.testAccuracy, 4) << "," << fixed(r.testAccuracyLast, 4) << "," << r.bestEpoch
           << "," << fixed(r.seconds, 1) << "," << csvField(r.dir) << "\n";
    return os.str();
}

nlohmann::json intervalJson(const Interval& i) {
    return {{"n", i.n}, {"mean", i.mean}, {"sd", i.sd}, {"ci95", {i.low, i.high}}};
}

std::string json(const RunScan& scan, const std::vector<MethodRow>& rows) {
    nlohmann::json j = {{"format", 1}, {"summary", nlohmann::json::array()}};
    for (const auto& r : rows) {
        nlohmann::json row = {
            {"dataset", r.dataset},         {"model", r.model},
            {"method", r.method},           {"val", intervalJson(r.val)},
            {"test", intervalJson(r.test)}, {"test_last", intervalJson(r.testLast)}};
        if (r.testVsBaseline) row["test_vs_baseline"] = intervalJson(*r.testVsBaseline);
        row["per_class"] = r.perClass;
        if (!r.figures.empty()) {
            row["figures"] = nlohmann::json::object();
            for (const auto& [k, v] : r.figures) row["figures"][k] = intervalJson(v);
        }
        j["summary"].push_back(row);
    }
    j["runs"] = nlohmann::json::array();
    for (const auto& r : scan.runs)
        j["runs"].push_back({{"dir", r.dir},
                             {"dataset", r.dataset},
                             {"model", r.model},
                             {"method", r.method},
                             {"seed", r.seed},
                             {"per_class", r.perClass},
                             {"val_accuracy", r.valAccuracy},
                             {"test_accuracy", r.testAccuracy},
                             {"test_accuracy_last", r.testAccuracyLast},
                             {"best_epoch", r.bestEpoch},
                             {"seconds", r.seconds},
                             {"figures", r.figures}});
    j["left_out"] = nlohmann::json::array();
    for (const auto& p : scan.problems)
        j["left_out"].push_back({{"dir", p.dir}, {"reason", p.reason}});
    return jsonText(j, 2) + "\n";
}

}  // namespace

std::vector<GraphLine> graphLines(const std::vector<MethodRow>& rows) {
    std::vector<GraphLine> out;
    for (const auto& r : rows) {
        if (!isTransductive(r.method) || !r.figures.count("cnn_test_accuracy") ||
            !r.figures.count("mlp_test_accuracy") || !r.figures.count("cnn_val_accuracy") ||
            !r.figures.count("mlp_val_accuracy"))
            continue;
        auto fig = [&](const char* k) { return r.figures.at(k); };
        out.push_back({&r, "Baseline (CNN, same nodes)", fig("cnn_val_accuracy"),
                       fig("cnn_test_accuracy"), std::nullopt});
        std::vector<double> mlpDiff, gnnDiff;
        for (const auto& run : r.runs) {
            mlpDiff.push_back(run.figures.at("mlp_test_accuracy") -
                              run.figures.at("cnn_test_accuracy"));
            gnnDiff.push_back(run.testAccuracy - run.figures.at("cnn_test_accuracy"));
        }
        out.push_back({&r, "MLP, no graph (same features)", fig("mlp_val_accuracy"),
                       fig("mlp_test_accuracy"), summarize(mlpDiff)});
        out.push_back({&r, "GNN", r.val, r.test, summarize(gnnDiff)});
    }
    return out;
}

std::string exportTable(const RunScan& scan, const std::vector<MethodRow>& rows,
                        const std::string& format) {
    if (format == "md") return markdown(scan, rows);
    if (format == "latex") return latex(rows);
    if (format == "csv") return csv(scan, rows);
    if (format == "json") return json(scan, rows);
    throw InputError("unknown export format '" + format + "'; allowed: csv, md, latex, json");
}

}  // namespace fewdata
