// `fewdata-cli predict` (a run's predictions for an unlabelled folder, as a VIPriors
// submission) and `fewdata-cli score` (a submission against a ground truth).
#pragma once

#include <CLI/CLI.hpp>
#include <atomic>
#include <string>

namespace fewdata {

struct PredictCommand {
    std::string runDir, images, output, device = "cpu";
};

struct ScoreCommand {
    std::string truth, submission;
};

CLI::App* addPredictCommand(CLI::App& app, PredictCommand& cmd);
CLI::App* addScoreCommand(CLI::App& app, ScoreCommand& cmd);
// 0 written (skipped files are listed on stderr), 2 bad input, 4 cancelled.
int runPredictCommand(const PredictCommand& cmd, const std::atomic<bool>& cancel);
// 0 when every ground-truth id was scored, 3 when ids are missing or unknown, 2 bad input
// (a file with no row after its header among it: nothing to score).
int runScoreCommand(const ScoreCommand& cmd);

}  // namespace fewdata
