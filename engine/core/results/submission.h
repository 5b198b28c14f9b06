// VIPriors submissions: the CSV the challenge takes ("Image IDs,Predictions", one row per
// image), reading one back with errors that name the file and line, and scoring it against a
// ground truth of the same form. The official script silently skips ids missing from a
// submission; the score here lists them, and ids the ground truth does not know.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fewdata {

struct Prediction {
    std::string id;  // the file name, e.g. img_0.JPEG
    int64_t label = 0;
};

// RFC 4180: an id holding a comma, a quote or a line break is quoted (core/base/csv.h).
std::string submissionCsv(const std::vector<Prediction>& predictions);

// Reads RFC 4180 CSV (quoted ids are unquoted). Throws InputError naming the file (and record:
// the header is record 1) for a missing file, a wrong header, no row after the header (nothing
// to score), a malformed row, a negative or non-integer label, or an id given twice.
std::vector<Prediction> readSubmission(const std::string& path);

// `text` for a message on one terminal line: control characters as \n, \r, \t or \xNN (a file
// may be named anything but '/' and NUL).
std::string printableText(const std::string& text);

struct ScoreReport {
    int64_t truthRows = 0;
    int64_t scored = 0;  // ids in both files
    int64_t correct = 0;
    double accuracy = 0;               // correct / truthRows: a missing id counts as wrong
    double accuracyOfScored = 0;       // correct / scored: what the official script reports
    std::vector<std::string> missing;  // in the ground truth, not in the submission
    std::vector<std::string> unknown;  // in the submission, not in the ground truth
};

ScoreReport scoreSubmission(const std::vector<Prediction>& truth,
                            const std::vector<Prediction>& submitted);

}  // namespace fewdata
