// The submission / ground-truth CSV reader on arbitrary bytes, then scoring the file against
// itself: every id read is scored, and right.
#include "core/base/errors.h"
#include "core/results/submission.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto path = fuzzing::scratch() / "submission.csv";
    fuzzing::writeFile(path, data, size);
    try {
        const auto rows = fewdata::readSubmission(path.string());
        const fewdata::ScoreReport r = fewdata::scoreSubmission(rows, rows);
        if (r.correct != int64_t(rows.size()) || !r.missing.empty()) __builtin_trap();
    } catch (const fewdata::InputError&) {
    }
    return 0;
}
