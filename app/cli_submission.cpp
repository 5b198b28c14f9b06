#include "cli_submission.h"

#include <cstdio>

#include "cli_train.h"
#include "core/base/atomic_file.h"
#include "core/base/errors.h"
#include "core/results/predictor.h"
#include "core/results/submission.h"
#ifdef FEWDATA_HAVE_IMAGING
#include "imaging/folder_prediction.h"
#endif

namespace fewdata {
namespace {

void listSome(const char* what, const std::vector<std::string>& ids) {
    if (ids.empty()) return;
    std::printf("%zu %s:", ids.size(), what);
    for (size_t i = 0; i < ids.size() && i < 20; ++i)
        std::printf(" %s", printableText(ids[i]).c_str());
    std::printf(ids.size() > 20 ? " ...\n" : "\n");
}

}  // namespace

CLI::App* addPredictCommand(CLI::App& app, PredictCommand& cmd) {
    CLI::App* sub = app.add_subcommand(
        "predict", "Write a run's predictions for a folder of unlabelled images (VIPriors CSV)");
    sub->add_option("run", cmd.runDir, "A finished run folder")->required();
    sub->add_option("--images", cmd.images, "Folder of images, e.g. imagenet_50/test/imgs")
        ->required();
    sub->add_option("--output", cmd.output, "CSV to write (never overwritten)")->required();
    sub->add_option("--device", cmd.device, "cpu, cuda or auto (default cpu)");
    return sub;
}

CLI::App* addScoreCommand(CLI::App& app, ScoreCommand& cmd) {
    CLI::App* sub =
        app.add_subcommand("score", "Top-1 accuracy of a submission CSV against a ground truth");
    sub->add_option("truth", cmd.truth, "Ground-truth CSV (Image IDs,Predictions)")->required();
    sub->add_option("submission", cmd.submission, "Submission CSV")->required();
    return sub;
}

int runPredictCommand(const PredictCommand& cmd, const std::atomic<bool>& cancel) {
    try {
#ifdef FEWDATA_HAVE_IMAGING
        // Before the work, not after: a typo in --output must not cost the whole prediction.
        checkNewFileTarget(cmd.output);
        RunPredictor predictor(cmd.runDir, cmd.device);
        const FolderPredictions p = predictFolder(predictor, cmd.images, &cancel);
        for (const auto& s : p.skipped)
            std::fprintf(stderr, "skipped %s: %s\n", printableText(s.id).c_str(),
                         printableText(s.reason).c_str());
        writeNewFileAtomically(cmd.output, submissionCsv(p.predictions));
        std::printf("%zu predictions written to %s (%zu files skipped)\n", p.predictions.size(),
                    cmd.output.c_str(), p.skipped.size());
        return 0;
#else
        (void)cancel;
        throw InputError("this build cannot decode image files (it has no OpenCV part)");
#endif
    } catch (const Cancelled&) {
        std::fprintf(stderr, "cancelled; nothing written\n");
        return 4;
    } catch (const std::exception& e) {
        return reportError(e);
    }
}

int runScoreCommand(const ScoreCommand& cmd) {
    try {
        const auto truth = readSubmission(cmd.truth);  // first, so its errors come first
        const ScoreReport r = scoreSubmission(truth, readSubmission(cmd.submission));
        std::printf(
            "top-1 accuracy %.2f%% (%lld of %lld ground-truth images; a missing id counts "
            "as wrong)\n",
            r.accuracy, (long long)r.correct, (long long)r.truthRows);
        if (!r.missing.empty() || !r.unknown.empty())
            std::printf(
                "over the %lld ids present only: %.2f%% (what the official script "
                "reports)\n",
                (long long)r.scored, r.accuracyOfScored);
        listSome("ids missing from the submission", r.missing);
        listSome("ids the ground truth does not know", r.unknown);
        return r.missing.empty() && r.unknown.empty() ? 0 : 3;
    } catch (const std::exception& e) {
        return reportError(e);
    }
}

}  // namespace fewdata
