// The predictions.csv reader (RFC 4180 quoting, its own checks) on arbitrary bytes: a file it
// accepts writes back, through the writer, to a file that reads as the same rows.
#include <cmath>

#include "core/base/atomic_file.h"
#include "core/base/errors.h"
#include "core/run/predictions_file.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto path = fuzzing::scratch() / "predictions.csv";
    fuzzing::writeFile(path, data, size);
    std::vector<fewdata::PredictionRow> rows;
    try {
        rows = fewdata::readPredictions(path.string());
    } catch (const fewdata::InputError&) {
        return 0;
    }
    // Back through the writer: each row as its split's only sample, ids and names kept.
    for (const auto& r : rows) {
        fewdata::Predictions p;
        fewdata::SplitPredictions& s =
            r.split == "train" ? p.train : r.split == "val" ? p.val : p.test;
        s.rows = {0};
        s.truth = {0};
        s.predicted = {r.correct() ? 0 : 1};
        s.pPredicted = {float(r.pPredicted)};
        s.pTrue = {float(r.pTrue)};
        fewdata::SplitIds ids;
        (r.split == "train" ? ids.train : r.split == "val" ? ids.val : ids.test) = {r.id.empty() ? "x" : r.id};
        const std::string names[] = {r.trueClass, r.predictedClass};
        fewdata::writeFileAtomically(path.string(),
                                     fewdata::predictionsCsv(p, ids, {names[0], names[1]}));
        const auto back = fewdata::readPredictions(path.string());
        if (back.size() != 1 || back[0].split != r.split ||
            (!r.id.empty() && back[0].id != r.id) || back[0].correct() != r.correct())
            __builtin_trap();
    }
    return 0;
}
