#include "core/results/table_export.h"

#include "core/base/csv.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "core/base/errors.h"
#include "core/base/json_text.h"
#include "core/config/recipe.h"
#include "core/methods/registry.h"
#include "core/results/significance.h"
#include "core/results/submission.h"
#include "core/run/presets.h"

namespace fewdata {
namespace {

constexpr double kAlpha = 0.05;

std::string fixed(double v, int digits = 2) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

// p-values: three decimals, those below 0.001 in scientific notation.
std::string pText(double p) {
    char buf[64];
    std::snprintf(buf, sizeof buf, p < 0.001 ? "%.1e" : "%.3f", p);
    return buf;
}

std::string meanSd(const Interval& i, const char* pm) {
    return i.n < 2 ? fixed(i.mean) : fixed(i.mean) + pm + fixed(i.sd);
}

std::string interval(const Interval& i) {
    return i.n < 2 ? "-" : "[" + fixed(i.low) + ", " + fixed(i.high) + "]";
}

std::string signedInterval(const std::optional<Interval>& d) {
    if (!d) return "-";
    return (d->mean >= 0 ? "+" : "") + fixed(d->mean) + (d->n < 2 ? "" : " " + interval(*d));
}

std::string holmText(const MethodRow& r, const char* mark) {
    if (!r.significance) return "-";
    return pText(r.significance->pHolm) + (r.significance->pHolm < kAlpha ? mark : "");
}

// A Markdown table cell: a '|' would end the cell and a line break the row.
std::string mdCell(const std::string& s) {
    std::string out;
    for (char c : printableText(s)) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
}

std::string latexEscape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '_' || c == '&' || c == '%' || c == '#' || c == '$') out += '\\';
        out += c;
    }
    return out;
}

std::vector<MethodRow> table1Rows(const std::vector<MethodRow>& all) {
    std::vector<MethodRow> rows;
    for (const auto& r : all)
        if (!isTransductive(r.method)) rows.push_back(r);
    return rows;
}

bool anyLabel(const std::vector<MethodRow>& rows) {
    for (const auto& r : rows)
        if (!r.recipeLabel.empty()) return true;
    return false;
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

// Shared recipe text (config/recipe.h) -> the preset its rows were made with, judged on all
// of them (a Table 2 folder's GNN rows tell it from Table 1's).
std::map<std::string, std::string> originsOf(const std::vector<MethodRow>& rows) {
    std::map<std::string, std::vector<nlohmann::json>> recipes;
    for (const auto& r : rows) recipes[recipeText(sharedRecipeOf(r.recipe))].push_back(r.recipe);
    std::map<std::string, std::string> out;
    for (const auto& [text, list] : recipes) out[text] = recipeOrigin(list);
    return out;
}

// Where the runs computed ("cpu (2 threads)", as result.json has it; runs of versions that
// did not record it left out), sorted.
std::vector<std::string> devicesOf(const std::vector<RunRecord>& runs) {
    std::set<std::string> devices;
    for (const auto& r : runs)
        if (!r.device.empty()) devices.insert(printableText(r.device));
    return {devices.begin(), devices.end()};
}

// Why a difference of device or thread count is worth a note although neither is part of a
// recipe.
const char* kDeviceCaveat =
    ": the device and the thread count change the order of floating-point sums, and a long "
    "training run can carry that difference to a point or more of test accuracy.";

// The recipes of the rows, each once with the preset it is (or is closest to), and the rows
// whose runs were made by more than one version of the workbench.
std::string notes(const std::vector<MethodRow>& rows, const RunScan& scan) {
    std::ostringstream os;
    const auto origins = originsOf(rows);
    std::map<std::string, nlohmann::json> shared;  // text -> the Learning keys of a table
    for (const auto& r : rows) {
        const nlohmann::json recipe = sharedRecipeOf(r.recipe);
        shared.emplace(recipeText(recipe), recipe);
    }
    std::vector<nlohmann::json> list;
    for (const auto& [text, recipe] : shared) list.push_back(recipe);
    const std::vector<std::string> keys =
        differingKeys(list, {"dataset", "model", "per_class", "method"});
    std::map<std::string, std::pair<std::string, std::string>> recipes;  // text -> label, origin
    // Tables that differ only in a column (K, the dataset or the model) are named by it.
    const std::vector<std::string> columnKeys = differingKeys(list, {"method"});
    for (const auto& [text, recipe] : shared) {
        const std::string label = recipeLabel(recipe, keys);
        recipes[text] = {label.empty() ? recipeLabel(recipe, columnKeys) : label, origins.at(text)};
    }
    if (recipes.size() == 1) {
        os << "\nRecipe: " << recipes.begin()->second.second << ".\n";
    } else if (!recipes.empty()) {
        os << "\nRecipes (rows of different recipes are never averaged or paired):\n";
        std::set<std::string> seen;
        for (const auto& [text, labelOrigin] : recipes) {
            const std::string label = labelOrigin.first.empty()
                                          ? std::string("(no differing key)")
                                          : "`" + printableText(labelOrigin.first) + "`";
            const std::string line = "- " + label + ": " + labelOrigin.second + "\n";
            if (seen.insert(line).second) os << line;
        }
    }
    for (const auto& r : rows)
        if (r.versions.size() > 1)
            os << "- Note: the " << r.method << " row"
               << (r.recipeLabel.empty() ? "" : " (" + printableText(r.recipeLabel) + ")")
               << " at K = " << r.perClass << " mixes runs of workbench versions "
               << joined(r.versions) << ".\n";
    for (const auto& r : rows)
        if (devicesOf(r.runs).size() > 1)
            os << "- Note: the " << r.method << " row"
               << (r.recipeLabel.empty() ? "" : " (" + printableText(r.recipeLabel) + ")")
               << " at K = " << r.perClass << " mixes runs on " << joined(devicesOf(r.runs))
               << kDeviceCaveat << "\n";
    bool tested = false;
    for (const auto& r : rows) tested = tested || r.significance.has_value();
    if (tested) {
        os << "\np (Holm): the exact sign-flip permutation test of the paired differences, "
              "Holm-Bonferroni corrected across the methods compared with one baseline; * marks "
              "p < 0.05. With n seeds no p can be below 2 / 2^n (0.25 at 3 seeds, 0.0625 at 5).\n";
        // How many seeds the spread seen here asks for: the median sd of the differences.
        std::vector<double> sds;
        for (const auto& r : rows)
            if (r.testVsBaseline && r.testVsBaseline->n >= 2) sds.push_back(r.testVsBaseline->sd);
        std::sort(sds.begin(), sds.end());
        const double median = sds.size() % 2 ? sds[sds.size() / 2]
                                             : (sds[sds.size() / 2 - 1] + sds[sds.size() / 2]) / 2;
        if (median > 0)
            os << "At the median spread of these differences (sd " << fixed(median)
               << " points), a true difference of 1 point needs "
               << seedsForDifference(1.0, median)
               << " seeds to reach p < 0.05 in a paired t-test 4 times in 5 (2 points: "
               << seedsForDifference(2.0, median) << ").";
        // The sign-flip p of n seeds is at least 2 / 2^n, times the family size under Holm.
        int largest = 0;
        for (const auto& r : rows)
            if (r.significance) largest = std::max(largest, r.significance->family);
        os << " The Holm-corrected sign-flip test over " << largest
           << (largest == 1 ? " method" : " methods") << " can reach 0.05 only from "
           << minimumSignFlipSeeds(largest) << " seeds on.\n";
    }
    if (!scan.problems.empty()) {
        os << "\nLeft out:\n";
        // One line each, whatever the folder's name holds.
        for (const auto& p : scan.problems)
            os << "- `" << printableText(p.dir) << "`: " << printableText(p.reason) << "\n";
    }
    return os.str();
}

const char* kCnnNote =
    "The CNN reference is the all-classes baseline's own predictions restricted to the sampled "
    "classes (its logits of those classes); the paper trained a baseline on those classes "
    "alone.";

// Each row of two seeds or more: the accuracy of its seeds' averaged test probabilities beside
// the seeds' own mean from the same files; the rows without one say why.
std::string ensembleTable(const std::vector<MethodRow>& rows, bool recipeColumn) {
    std::ostringstream table, missing;
    for (const auto& r : rows) {
        const std::string name = r.method + (r.recipeLabel.empty() || !recipeColumn
                                                 ? ""
                                                 : " (" + printableText(r.recipeLabel) + ")");
        if (r.ensemble)
            table << "| " << mdCell(r.dataset) << " | " << r.model << " | " << r.perClass << " | "
                  << (recipeColumn ? mdCell(r.recipeLabel) + " | " : "") << r.method << " | "
                  << r.ensemble->seeds << " | " << fixed(r.ensemble->test) << " | "
                  << fixed(r.ensemble->singleSeedMean) << " | "
                  << (r.ensemble->test >= r.ensemble->singleSeedMean ? "+" : "")
                  << fixed(r.ensemble->test - r.ensemble->singleSeedMean) << " |\n";
        else if (r.runs.size() >= 2)
            missing << "- No ensemble for " << name << " (" << printableText(r.dataset) << ", "
                    << r.model << ", K = " << r.perClass
                    << "): " << printableText(r.ensembleMissing) << ".\n";
    }
    if (table.str().empty() && missing.str().empty()) return "";
    std::ostringstream os;
    os << "\nEnsembles of seeds (the average of the seeds' test probabilities)\n\n";
    if (!table.str().empty())
        os << "| Dataset | Model | K | " << (recipeColumn ? "Recipe | " : "")
           << "Strategy | Seeds | Ensemble test (%) | Single-seed mean (%) | Gain (points) |\n"
           << "| --- | --- | --- | " << (recipeColumn ? "--- | " : "")
           << "--- | --- | --- | --- | --- |\n"
           << table.str();
    os << (table.str().empty() ? "" : "\n") << missing.str();
    return os.str();
}

bool anyVariant(const std::vector<AblationLine>& lines) {
    for (const auto& l : lines)
        if (l.row != l.reference) return true;
    return false;
}

std::string ensembleCell(const MethodRow& r) {
    return r.ensemble ? fixed(r.ensemble->test) : "-";
}

}  // namespace

std::string ablationNote(const std::vector<AblationLine>& lines) {
    int pairs = 0, family = 0;
    for (const auto& l : lines)
        if (l.significance) {
            pairs = std::max(pairs, l.pairs);
            family = std::max(family, l.significance->family);
        }
    std::ostringstream os;
    os << "Each change is paired with the reference by seed: the same data, split, method and "
          "seeds, the keys named the only difference of recipe. p (Holm): the exact sign-flip test "
          "of "
          "the paired differences, Holm-Bonferroni corrected across the changes tried on one "
          "reference; * marks p < 0.05. Test and ensemble are each row's own seeds; where the "
          "seeds of a row and its reference differ, \"(k paired)\" gives those both ran, which "
          "the difference is over. Last epoch: the same pairing of the last epoch's test "
          "figure, which no validation split chose.";
    for (const auto& l : lines) {
        const auto mine = devicesOf(l.row->runs), theirs = devicesOf(l.reference->runs);
        if (l.row != l.reference && !mine.empty() && !theirs.empty() && mine != theirs)
            os << " " << l.row->method << " with " << printableText(l.change) << " ran on "
               << joined(mine) << ", its reference on " << joined(theirs) << kDeviceCaveat;
    }
    if (family > 0)
        os << " With " << pairs << (pairs == 1 ? " pair" : " pairs") << " no p can be below "
           << pText(2.0 / double(int64_t(1) << std::min(pairs, 62)))
           << "; over " << family << (family == 1 ? " change" : " changes")
           << " the test can reach 0.05 only from " << minimumSignFlipSeeds(family)
           << " seeds on.";
    return os.str();
}

namespace {

std::string ablationMarkdown(const std::vector<AblationLine>& lines) {
    if (!anyVariant(lines)) return "";
    std::ostringstream os;
    os << "\nAblation: each change against the reference recipe\n\n"
       << "| Dataset | Model | K | Strategy | Change | Seeds | Test (%) | Test vs reference "
          "(points) | p (Holm) | Last epoch vs reference (points) | Ensemble test (%) |\n"
       << "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
    for (const auto& l : lines) {
        const MethodRow& r = *l.row;
        const bool own = l.row == l.reference;
        os << "| " << mdCell(r.dataset) << " | " << r.model << " | " << r.perClass << " | "
           << r.method << " | " << (own ? "reference: " : "") << mdCell(l.change) << " | "
           << r.test.n
           << (own || (l.pairs == r.test.n && l.pairs == l.reference->test.n)
                   ? ""
                   : " (" + std::to_string(l.pairs) + " paired)")
           << " | " << meanSd(r.test, " ± ") << " | "
           << (own ? std::string("-") : signedInterval(l.vsReference)) << " | "
           << (l.significance
                   ? pText(l.significance->pHolm) + (l.significance->pHolm < kAlpha ? " *" : "")
                   : std::string("-"))
           << " | " << (own ? std::string("-") : signedInterval(l.lastVsReference)) << " | "
           << ensembleCell(r) << " |\n";
    }
    os << "\n" << ablationNote(lines) << "\n";
    return os.str();
}

std::string markdown(const RunScan& scan, const std::vector<MethodRow>& allRows,
                     const std::vector<AblationLine>& ablation) {
    std::ostringstream os;
    const std::vector<MethodRow> rows = table1Rows(allRows);
    const auto graph = graphLines(allRows);
    const bool recipeColumn = anyLabel(allRows);
    if (!rows.empty()) {
        os << "Table 1\n\n| Dataset | Model | K | " << (recipeColumn ? "Recipe | " : "")
           << "Strategy | Validation (%) | Test (%) | Test 95 % CI | Test vs baseline | p (Holm) "
              "| Last-epoch test (%) | Runs |\n"
           << "| --- | --- | --- | " << (recipeColumn ? "--- | " : "")
           << "--- | --- | --- | --- | --- | --- | --- | --- |\n";
        for (const auto& r : rows)
            os << "| " << mdCell(r.dataset) << " | " << r.model << " | " << r.perClass << " | "
               << (recipeColumn ? mdCell(r.recipeLabel) + " | " : "") << r.method << " | "
               << meanSd(r.val, " ± ") << " | " << meanSd(r.test, " ± ") << " | "
               << interval(r.test) << " | " << signedInterval(r.testVsBaseline) << " | "
               << holmText(r, " *") << " | " << meanSd(r.testLast, " ± ") << " | " << r.test.n
               << " |\n";
    }
    os << ensembleTable(rows, recipeColumn);
    os << ablationMarkdown(ablation);
    if (!graph.empty()) {
        os << (rows.empty() ? "" : "\n") << "Table 2 (same nodes)\n\n"
           << "| Dataset | Model | K | " << (recipeColumn ? "Recipe | " : "")
           << "Strategy | Validation (%) | Test (%) | Test 95 % CI | Test vs CNN | Runs |\n"
           << "| --- | --- | --- | " << (recipeColumn ? "--- | " : "")
           << "--- | --- | --- | --- | --- | --- |\n";
        for (const auto& g : graph)
            os << "| " << mdCell(g.row->dataset) << " | " << g.row->model << " | "
               << g.row->perClass << " | "
               << (recipeColumn ? mdCell(g.row->recipeLabel) + " | " : "") << g.strategy << " | "
               << meanSd(g.val, " ± ") << " | " << meanSd(g.test, " ± ") << " | "
               << interval(g.test) << " | " << signedInterval(g.vsCnn) << " | " << g.test.n
               << " |\n";
        os << "\n" << kCnnNote << "\n";
    }
    const auto curves = learningCurves(allRows);
    if (!curves.empty()) {
        std::set<int> ks;
        for (const auto& c : curves)
            for (const auto& p : c.points) ks.insert(p.perClass);
        os << "\nTest accuracy by images per class (mean [95 % CI], %)\n\n| Dataset | Model | "
           << (recipeColumn ? "Recipe | " : "") << "Strategy |";
        for (int k : ks) os << " K = " << k << " |";
        os << "\n| --- | --- | " << (recipeColumn ? "--- | " : "") << "--- |";
        for (size_t i = 0; i < ks.size(); ++i) os << " --- |";
        os << "\n";
        for (const auto& c : curves) {
            os << "| " << mdCell(c.dataset) << " | " << c.model << " | "
               << (recipeColumn ? mdCell(c.recipeLabel) + " | " : "") << c.method << " |";
            for (int k : ks) {
                const auto p = std::find_if(c.points.begin(), c.points.end(),
                                            [&](const CurvePoint& q) { return q.perClass == k; });
                os << " "
                   << (p == c.points.end()
                           ? std::string("-")
                           : fixed(p->test.mean) + (p->test.n < 2 ? "" : " " + interval(p->test)))
                   << " |";
            }
            os << "\n";
        }
    }
    os << notes(allRows, scan);
    return os.str();
}

std::string latex(const RunScan& scan, const std::vector<MethodRow>& allRows,
                  const std::vector<AblationLine>& ablation) {
    std::ostringstream os;
    const std::vector<MethodRow> rows = table1Rows(allRows);
    const bool recipeColumn = anyLabel(allRows);
    std::set<int> ks;
    for (const auto& r : allRows) ks.insert(r.perClass);
    const bool kColumn = ks.size() > 1;  // a K grid: rows of one method would look alike
    os << "% needs \\usepackage{booktabs}\n\\begin{tabular}{l" << (kColumn ? "r" : "") << "l"
       << (recipeColumn ? "l" : "") << "rrrr}\n\\toprule\nModel & " << (kColumn ? "K & " : "")
       << (recipeColumn ? "Recipe & " : "")
       << "Strategy & Validation (\\%) & Test (\\%) & $\\Delta$ test & $p_\\mathrm{Holm}$ "
          "\\\\\n\\midrule\n";
    for (const auto& r : rows)
        os << latexEscape(r.model) << " & " << (kColumn ? std::to_string(r.perClass) + " & " : "")
           << (recipeColumn ? latexEscape(r.recipeLabel) + " & " : "") << latexEscape(r.method)
           << " & $" << meanSd(r.val, " \\pm ") << "$ & $" << meanSd(r.test, " \\pm ") << "$ & "
           << (r.testVsBaseline ? "$" + signedInterval(r.testVsBaseline) + "$" : "--") << " & "
           << (r.significance ? "$" + holmText(r, "^{*}") + "$" : "--") << " \\\\\n";
    os << "\\bottomrule\n\\end{tabular}\n";
    bool anyEnsemble = false;
    for (const auto& r : rows) anyEnsemble = anyEnsemble || r.ensemble.has_value();
    if (anyEnsemble) {
        os << "\n% Ensembles of seeds: the average of the seeds' test probabilities\n"
           << "\\begin{tabular}{l" << (kColumn ? "r" : "") << "l" << (recipeColumn ? "l" : "")
           << "rrrr}\n\\toprule\nModel & " << (kColumn ? "K & " : "")
           << (recipeColumn ? "Recipe & " : "")
           << "Strategy & Seeds & Ensemble test (\\%) & Single-seed mean (\\%) & Gain "
              "\\\\\n\\midrule\n";
        for (const auto& r : rows)
            if (r.ensemble)
                os << latexEscape(r.model) << " & "
                   << (kColumn ? std::to_string(r.perClass) + " & " : "")
                   << (recipeColumn ? latexEscape(r.recipeLabel) + " & " : "")
                   << latexEscape(r.method) << " & " << r.ensemble->seeds << " & $"
                   << fixed(r.ensemble->test) << "$ & $" << fixed(r.ensemble->singleSeedMean)
                   << "$ & $" << (r.ensemble->test >= r.ensemble->singleSeedMean ? "+" : "")
                   << fixed(r.ensemble->test - r.ensemble->singleSeedMean) << "$ \\\\\n";
        os << "\\bottomrule\n\\end{tabular}\n";
    }
    if (anyVariant(ablation)) {
        os << "\n% Ablation: each change against the reference recipe, paired by seed\n"
           << "\\begin{tabular}{l" << (kColumn ? "r" : "") << "llrrrrr}\n\\toprule\nModel & "
           << (kColumn ? "K & " : "")
           << "Strategy & Change & Test (\\%) & $\\Delta$ test & $p_\\mathrm{Holm}$ & "
              "$\\Delta$ last epoch & Ensemble (\\%) \\\\\n\\midrule\n";
        for (const auto& l : ablation) {
            const MethodRow& r = *l.row;
            const bool own = l.row == l.reference;
            os << latexEscape(r.model) << " & "
               << (kColumn ? std::to_string(r.perClass) + " & " : "") << latexEscape(r.method)
               << " & " << (own ? "reference: " : "") << latexEscape(l.change) << " & $"
               << meanSd(r.test, " \\pm ") << "$ & "
               << (!own && l.vsReference ? "$" + signedInterval(l.vsReference) + "$" : "--")
               << " & "
               << (l.significance ? "$" + pText(l.significance->pHolm) +
                                        (l.significance->pHolm < kAlpha ? "^{*}" : "") + "$"
                                  : std::string("--"))
               << " & "
               << (!own && l.lastVsReference ? "$" + signedInterval(l.lastVsReference) + "$" : "--")
               << " & " << (r.ensemble ? "$" + fixed(r.ensemble->test) + "$" : "--") << " \\\\\n";
        }
        os << "\\bottomrule\n\\end{tabular}\n% " << ablationNote(ablation) << "\n";
    }
    // The notes (recipes and their presets, versions, the tests) as comments beside the table.
    std::istringstream noteLines(notes(allRows, scan));
    for (std::string line; std::getline(noteLines, line);)
        if (!line.empty()) os << "% " << line << "\n";
    const auto curves = learningCurves(allRows);
    if (!curves.empty()) {
        os << "\n% Test accuracy (\\%) by images per class: mean [95 \\% CI]\n\\begin{tabular}{l"
           << (recipeColumn ? "l" : "") << std::string(ks.size(), 'r') << "}\n\\toprule\nStrategy";
        if (recipeColumn) os << " & Recipe";
        for (int k : ks) os << " & $K = " << k << "$";
        os << " \\\\\n\\midrule\n";
        for (const auto& c : curves) {
            os << latexEscape(c.method);
            if (recipeColumn) os << " & " << latexEscape(c.recipeLabel);
            for (int k : ks) {
                const auto p = std::find_if(c.points.begin(), c.points.end(),
                                            [&](const CurvePoint& q) { return q.perClass == k; });
                os << " & "
                   << (p == c.points.end() ? std::string("--")
                                           : "$" + fixed(p->test.mean) +
                                                 (p->test.n < 2 ? "" : " " + interval(p->test)) +
                                                 "$");
            }
            os << " \\\\\n";
        }
        os << "\\bottomrule\n\\end{tabular}\n";
    }
    const auto graph = graphLines(allRows);
    if (!graph.empty()) {
        os << "\n% Table 2: on the same nodes. " << kCnnNote
           << "\n\\begin{tabular}{llrrr}\n\\toprule\n"
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

std::string pCsv(double p) {
    return fixed(p, 6);
}

std::string csv(const RunScan& scan, const std::vector<MethodRow>& rows,
                const std::vector<AblationLine>& ablation) {
    std::ostringstream os;
    os << "kind,dataset,model,per_class,method,seed,runs,val_mean,val_sd,test_mean,test_sd,"
          "test_ci_low,test_ci_high,test_vs_baseline,test_vs_baseline_low,"
          "test_vs_baseline_high,val,test,test_last,best_epoch,seconds,dir,recipe,p_value_t,"
          "p_value_perm,p_value_holm,versions,change,test_vs_reference,test_vs_reference_low,"
          "test_vs_reference_high,last_vs_reference,last_vs_reference_low,last_vs_reference_high\n";
    std::map<std::string, std::string> labelOfRun;
    for (const auto& r : rows)
        for (const auto& run : r.runs) labelOfRun[run.dir] = r.recipeLabel;
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
        os << ",,,,,,," << csvField(r.recipeLabel) << ",";
        if (r.significance)
            os << pCsv(r.significance->pT) << "," << pCsv(r.significance->pPerm) << ","
               << pCsv(r.significance->pHolm);
        else
            os << ",,";
        os << "," << csvField(joined(r.versions)) << ",,,,,,,\n";
        // test_mean: the ensemble's accuracy; runs: its seeds (the summary line above holds
        // the single-seed mean).
        if (r.ensemble)
            os << "ensemble," << csvField(r.dataset) << "," << r.model << "," << r.perClass << ","
               << r.method << ",," << r.ensemble->seeds << ",,," << fixed(r.ensemble->test, 4)
               << ",,,,,,,,,,,,," << csvField(r.recipeLabel) << ",,,,"
               << csvField(joined(r.versions)) << ",,,,,,,\n";
    }
    for (const auto& g : graphLines(rows))
        os << "table2," << csvField(g.row->dataset) << "," << g.row->model << "," << g.row->perClass
           << "," << csvField(g.strategy) << ",," << g.test.n << "," << fixed(g.val.mean, 4) << ","
           << fixed(g.val.sd, 4) << "," << fixed(g.test.mean, 4) << "," << fixed(g.test.sd, 4)
           << "," << fixed(g.test.low, 4) << "," << fixed(g.test.high, 4) << ","
           << (g.vsCnn ? fixed(g.vsCnn->mean, 4) + "," + fixed(g.vsCnn->low, 4) + "," +
                             fixed(g.vsCnn->high, 4)
                       : std::string(",,"))
           << ",,,,,,," << csvField(g.row->recipeLabel) << ",,,,"
           << csvField(joined(g.row->versions)) << ",,,,,,,\n";
    for (const auto& r : scan.runs)
        os << "run," << csvField(r.dataset) << "," << r.model << "," << r.perClass << ","
           << r.method << "," << r.seed << ",1,,,,,,,,,," << fixed(r.valAccuracy, 4) << ","
           << fixed(r.testAccuracy, 4) << "," << fixed(r.testAccuracyLast, 4) << "," << r.bestEpoch
           << "," << fixed(r.seconds, 1) << "," << csvField(r.dir) << ","
           << csvField(labelOfRun[r.dir]) << ",,,," << csvField(r.version) << ",,,,,,,\n";
    // One line per ablation line with a variant: runs, the pairs; test_*: the row's own.
    if (anyVariant(ablation))
        for (const auto& l : ablation) {
            const MethodRow& r = *l.row;
            const bool own = l.row == l.reference;
            os << (own ? "ablation_reference," : "ablation,") << csvField(r.dataset) << ","
               << r.model << "," << r.perClass << "," << r.method << ",," << l.pairs << ",,,"
               << fixed(r.test.mean, 4) << "," << fixed(r.test.sd, 4) << ","
               << fixed(r.test.low, 4) << "," << fixed(r.test.high, 4) << ",,,,,,,,,,"
               << csvField(r.recipeLabel) << ",";
            if (l.significance)
                os << pCsv(l.significance->pT) << "," << pCsv(l.significance->pPerm) << ","
                   << pCsv(l.significance->pHolm);
            else
                os << ",,";
            os << "," << csvField(joined(r.versions)) << "," << csvField(l.change) << ",";
            for (const auto* d : {&l.vsReference, &l.lastVsReference}) {
                if (!own && *d)
                    os << fixed((*d)->mean, 4) << "," << fixed((*d)->low, 4) << ","
                       << fixed((*d)->high, 4);
                else
                    os << ",,";
                os << (d == &l.vsReference ? "," : "\n");
            }
        }
    return os.str();
}

nlohmann::json intervalJson(const Interval& i) {
    return {{"n", i.n}, {"mean", i.mean}, {"sd", i.sd}, {"ci95", {i.low, i.high}}};
}

std::string json(const RunScan& scan, const std::vector<MethodRow>& rows,
                 const std::vector<AblationLine>& ablation) {
    nlohmann::json j = {{"format", 1}, {"summary", nlohmann::json::array()}};
    const auto origins = originsOf(rows);
    for (const auto& r : rows) {
        nlohmann::json row = {
            {"dataset", r.dataset},         {"model", r.model},
            {"method", r.method},           {"val", intervalJson(r.val)},
            {"test", intervalJson(r.test)}, {"test_last", intervalJson(r.testLast)}};
        if (r.testVsBaseline) row["test_vs_baseline"] = intervalJson(*r.testVsBaseline);
        if (r.significance) {
            row["p_value_t"] = r.significance->pT;
            row["p_value_perm"] = r.significance->pPerm;
            row["p_value_holm"] = r.significance->pHolm;
        }
        row["per_class"] = r.perClass;
        row["recipe"] = r.recipe;
        row["recipe_label"] = r.recipeLabel;
        row["recipe_origin"] = origins.at(recipeText(sharedRecipeOf(r.recipe)));
        row["versions"] = r.versions;
        if (r.ensemble)
            row["ensemble"] = {{"seeds", r.ensemble->seeds},
                               {"test", r.ensemble->test},
                               {"single_seed_mean", r.ensemble->singleSeedMean}};
        else if (r.runs.size() >= 2)
            row["ensemble_missing"] = r.ensembleMissing;
        if (!r.figures.empty()) {
            row["figures"] = nlohmann::json::object();
            for (const auto& [k, v] : r.figures) row["figures"][k] = intervalJson(v);
        }
        j["summary"].push_back(row);
    }
    j["learning_curves"] = nlohmann::json::array();
    for (const auto& c : learningCurves(rows)) {
        nlohmann::json points = nlohmann::json::array();
        for (const auto& p : c.points)
            points.push_back({{"per_class", p.perClass}, {"test", intervalJson(p.test)}});
        j["learning_curves"].push_back({{"dataset", c.dataset},
                                        {"model", c.model},
                                        {"method", c.method},
                                        {"recipe_label", c.recipeLabel},
                                        {"points", points}});
    }
    if (anyVariant(ablation)) {
        j["ablation"] = nlohmann::json::array();
        for (const auto& l : ablation) {
            const MethodRow& r = *l.row;
            nlohmann::json line = {{"dataset", r.dataset},
                                   {"model", r.model},
                                   {"per_class", r.perClass},
                                   {"method", r.method},
                                   {"reference", l.row == l.reference},
                                   {"change", l.change},
                                   {"recipe", r.recipe},
                                   {"pairs", l.pairs},
                                   {"test", intervalJson(r.test)}};
            if (l.row != l.reference && l.vsReference)
                line["test_vs_reference"] = intervalJson(*l.vsReference);
            if (l.row != l.reference && l.lastVsReference)
                line["last_vs_reference"] = intervalJson(*l.lastVsReference);
            if (l.significance) {
                line["p_value_t"] = l.significance->pT;
                line["p_value_perm"] = l.significance->pPerm;
                line["p_value_holm"] = l.significance->pHolm;
            }
            if (r.ensemble) line["ensemble_test"] = r.ensemble->test;
            j["ablation"].push_back(line);
        }
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
                             {"workbench_version", r.version},
                             {"torch_version", r.torchVersion},
                             {"device", r.device},
                             {"threads", r.threads},
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
                       fig("mlp_test_accuracy"), summarize(mlpDiff, -100, 100)});
        out.push_back({&r, "GNN", r.val, r.test, summarize(gnnDiff, -100, 100)});
    }
    return out;
}

std::vector<LearningCurve> learningCurves(const std::vector<MethodRow>& rows) {
    std::set<int> ks;
    for (const auto& r : rows) ks.insert(r.perClass);
    if (ks.size() < 2) return {};
    // The label of a curve: the keys its recipe (K aside) differs in from the others'.
    std::vector<nlohmann::json> recipes;
    auto withoutK = [](nlohmann::json recipe) {
        recipe.erase("per_class");
        return recipe;
    };
    for (const auto& r : rows) recipes.push_back(withoutK(r.recipe));
    const std::vector<std::string> labelKeys =
        differingKeys(recipes, {"dataset", "model", "method"});
    std::map<std::string, LearningCurve> curves;  // recipe text (K aside) -> curve
    std::vector<std::string> order;
    for (const auto& r : rows) {
        const nlohmann::json recipe = withoutK(r.recipe);
        const std::string key = recipeText(recipe);
        auto [it, fresh] = curves.try_emplace(key);
        if (fresh) {
            it->second = {r.dataset, r.model, r.method, recipeLabel(recipe, labelKeys), {}};
            order.push_back(key);
        }
        it->second.points.push_back({r.perClass, r.test});
    }
    std::vector<LearningCurve> out;
    for (const auto& key : order) {
        LearningCurve c = curves[key];
        std::sort(c.points.begin(), c.points.end(),
                  [](const CurvePoint& a, const CurvePoint& b) { return a.perClass < b.perClass; });
        out.push_back(c);
    }
    return out;
}

std::string exportTable(const RunScan& scan, const std::vector<MethodRow>& rows,
                        const std::string& format, const std::vector<AblationLine>& ablation) {
    if (format == "md") return markdown(scan, rows, ablation);
    if (format == "latex") return latex(scan, rows, ablation);
    if (format == "csv") return csv(scan, rows, ablation);
    if (format == "json") return json(scan, rows, ablation);
    throw InputError("unknown export format '" + format + "'; allowed: csv, md, latex, json");
}

}  // namespace fewdata
