// Prints a training run's events as terminal lines: one per epoch, a live batch line on a
// terminal, and a final summary.
#pragma once

#include <cstdio>

#include "core/train/train_events.h"

namespace fewdata {

class CliProgress : public TrainListener {
public:
    // `showTest` false: the final line names the validation figure only (a tune's trials, whose
    // test figures must not be seen while a recipe is chosen).
    explicit CliProgress(std::FILE* out, bool showTest = true);
    void started(const RunStarted& s) override;
    void batch(const BatchProgress& b) override;
    void epoch(const EpochMetrics& m) override;
    void finished(const RunResult& r) override;
    void failed(const RunResult& r) override;

private:
    void clearBatchLine();
    // Whether `out_` still takes lines: once a write to it failed (a closed pipe, a full disk),
    // nothing more is printed there and the run goes on.
    bool printing();
    std::FILE* out_;
    bool showTest_ = true;
    bool live_ = false;  // stderr is a terminal: show the batch line in place
    bool batchLineShown_ = false;
    int epochs_ = 0;
    double epochSecondsSum_ = 0;
};

std::string formatDuration(double seconds);

}  // namespace fewdata
