#include "core/results/ablation.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "core/base/errors.h"
#include "core/config/config_table.h"
#include "core/config/recipe.h"
#include "core/results/significance.h"

namespace fewdata {
namespace fs = std::filesystem;
namespace {

std::vector<std::string> changedKeys(const std::vector<nlohmann::json>& recipes) {
    return differingKeys(recipes, {"dataset", "per_class", "method"});
}

bool sameCell(const MethodRow& a, const MethodRow& b) {
    return a.dataset == b.dataset && a.perClass == b.perClass && a.method == b.method;
}

// A recipe that draws another split or test set (val_fraction, max_test_samples, ...) is not
// a variant: its seed s is not the reference's seed s on the same images.
bool sameProtocolKeys(const nlohmann::json& a, const nlohmann::json& b) {
    for (const std::string& key : protocolKeys())
        if (a.value(key, nlohmann::json()) != b.value(key, nlohmann::json())) return false;
    return true;
}

// A row of the reference recipe may hold seeds run elsewhere too: one inside makes it one.
bool rowInside(const MethodRow& row, const std::string& dir) {
    for (const auto& r : row.runs)
        if (isInside(r.dir, dir)) return true;
    return false;
}

AblationLine paired(const MethodRow& reference, const MethodRow& row) {
    AblationLine line;
    line.reference = &reference;
    line.row = &row;
    line.change = recipeLabel(row.recipe, changedKeys({reference.recipe, row.recipe}));
    const PairedDifference d = pairedBySeed(row.runs, reference.runs);
    line.pairs = d.pairs;
    line.vsReference = d.difference;
    line.significance = d.significance;
    line.lastVsReference =
        pairedBySeed(row.runs, reference.runs, &RunRecord::testAccuracyLast).difference;
    return line;
}

}  // namespace

bool isInside(const std::string& runDir, const std::string& dir) {
    std::error_code ec;
    const fs::path run = fs::weakly_canonical(runDir, ec);
    if (ec) return false;
    fs::path folder = fs::weakly_canonical(dir, ec);
    if (ec) return false;
    if (!folder.has_filename()) folder = folder.parent_path();  // "a/b/" is "a/b"
    const fs::path rel = run.lexically_relative(folder);
    return !rel.empty() && *rel.begin() != "..";
}

std::vector<AblationLine> ablationLines(const std::vector<MethodRow>& rows,
                                        const std::string& referenceDir) {
    std::vector<size_t> references;
    for (size_t i = 0; i < rows.size(); ++i) {
        if (!rowInside(rows[i], referenceDir)) continue;
        for (size_t other : references)
            if (sameCell(rows[other], rows[i]))
                throw InputError("the reference '" + referenceDir + "' holds two recipes of " +
                                 rows[i].method + " at K = " + std::to_string(rows[i].perClass) +
                                 " (" + rows[other].recipeLabel + "; " + rows[i].recipeLabel +
                                 "): name a folder of one recipe");
        references.push_back(i);
    }
    // Each other row goes with the reference of its dataset, K and method (at most one: two
    // are refused above) when it draws the same split.
    std::map<size_t, std::vector<size_t>> variantsOf;
    for (size_t i = 0; i < rows.size(); ++i) {
        if (std::find(references.begin(), references.end(), i) != references.end()) continue;
        for (size_t ref : references)
            if (sameCell(rows[ref], rows[i]) && sameProtocolKeys(rows[ref].recipe, rows[i].recipe))
                variantsOf[ref].push_back(i);
    }
    std::vector<AblationLine> out;
    for (size_t ref : references) {
        const MethodRow& reference = rows[ref];
        std::vector<nlohmann::json> recipes{reference.recipe};
        for (size_t v : variantsOf[ref]) recipes.push_back(rows[v].recipe);
        AblationLine own;
        own.reference = own.row = &reference;
        own.change = recipeLabel(reference.recipe, changedKeys(recipes));
        own.pairs = int(reference.runs.size());
        out.push_back(own);
        const size_t first = out.size();
        std::vector<double> p;
        for (size_t v : variantsOf[ref]) {
            out.push_back(paired(reference, rows[v]));
            if (out.back().significance) p.push_back(out.back().significance->pPerm);
        }
        const std::vector<double> adjusted = holmAdjusted(p);
        size_t j = 0;
        for (size_t i = first; i < out.size(); ++i)
            if (out[i].significance) {
                out[i].significance->pHolm = adjusted[j++];
                out[i].significance->family = int(p.size());
            }
    }
    return out;
}

}  // namespace fewdata
