#include "core/results/seed_ensemble.h"

#include <filesystem>

#include "core/base/errors.h"
#include "core/base/npy_file.h"
#include "core/results/results.h"
#include "core/run/predictions_file.h"

namespace fewdata {
namespace {

int64_t argmaxOfRow(const FloatMatrix& m, int64_t r) {
    int64_t best = 0;
    for (int64_t c = 1; c < m.cols; ++c)
        if (m.at(r, c) > m.at(r, best)) best = c;
    return best;
}

double accuracyOf(const FloatMatrix& m, const std::vector<int64_t>& truth) {
    int64_t right = 0;
    for (int64_t r = 0; r < m.rows; ++r) right += argmaxOfRow(m, r) == truth[size_t(r)];
    return m.rows == 0 ? 0.0 : 100.0 * double(right) / double(m.rows);
}

}  // namespace

std::optional<SeedEnsemble> seedEnsemble(const std::vector<RunRecord>& runs, std::string& why) {
    why.clear();
    if (runs.size() < 2) {
        why = "one seed";
        return std::nullopt;
    }
    FloatMatrix sum;
    bool first = true;
    std::vector<std::string> ids;
    std::vector<int64_t> truth;
    double singleSum = 0;
    try {
        for (const RunRecord& run : runs) {
            const std::string probabilities = run.dir + "/" + kTestProbabilitiesFile;
            std::error_code ec;
            if (!std::filesystem::exists(probabilities, ec)) {
                why = "'" + run.dir + "' has no " + kTestProbabilitiesFile;
                return std::nullopt;
            }
            const FloatMatrix m = readNpyFile(probabilities);
            std::vector<std::string> runIds;
            std::vector<int64_t> runTruth;
            for (const PredictionRow& p : readPredictions(run.dir + "/" + kPredictionsFile))
                if (p.split == "test") {
                    runIds.push_back(p.id);
                    runTruth.push_back(p.trueIndex);
                }
            if (int64_t(runIds.size()) != m.rows) {
                why = "'" + probabilities + "' has " + std::to_string(m.rows) +
                      " rows for " + std::to_string(runIds.size()) + " test predictions";
                return std::nullopt;
            }
            for (int64_t t : runTruth)
                if (t < 0 || t >= m.cols) {
                    why = "'" + run.dir + "' has a test label outside its " +
                          std::to_string(m.cols) + " probability columns";
                    return std::nullopt;
                }
            if (m.rows == 0) {
                why = "'" + probabilities + "' has no test images";
                return std::nullopt;
            }
            if (first) {
                first = false;
                sum = m;
                ids = runIds;
                truth = runTruth;
            } else {
                if (runIds != ids || runTruth != truth || m.cols != sum.cols) {
                    why = "the seeds were tested on different images or classes";
                    return std::nullopt;
                }
                for (size_t i = 0; i < m.values.size(); ++i) sum.values[i] += m.values[i];
            }
            singleSum += accuracyOf(m, runTruth);
        }
    } catch (const std::exception& e) {
        // Also bad_alloc: the Results page's scan must not throw for one row's files.
        why = e.what();
        return std::nullopt;
    }
    SeedEnsemble e;
    e.seeds = int(runs.size());
    e.test = accuracyOf(sum, truth);  // the mean's argmax is the sum's
    e.singleSeedMean = singleSum / double(runs.size());
    return e;
}

}  // namespace fewdata
