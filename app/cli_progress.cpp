#include "cli_progress.h"

#include <unistd.h>

#include <cmath>
#include <string>

namespace fewdata {

std::string formatDuration(double seconds) {
    const long s = std::lround(std::max(0.0, seconds));
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
    else if (s >= 60)
        std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%lds", s);
    return buf;
}

CliProgress::CliProgress(std::FILE* out, bool showTest)
    : out_(out), showTest_(showTest), live_(::isatty(STDERR_FILENO) == 1) {}

bool CliProgress::printing() {
    return std::ferror(out_) == 0;
}

void CliProgress::clearBatchLine() {
    if (batchLineShown_) {
        std::fprintf(stderr, "\r\033[K");
        batchLineShown_ = false;
    }
}

void CliProgress::started(const RunStarted& s) {
    epochs_ = s.epochs;
    if (!printing()) return;
    std::fprintf(out_, "run %s: %lld train / %lld val / %lld test images, %lld files skipped, %s\n",
                 s.runDir.c_str(), (long long)s.trainSize, (long long)s.valSize,
                 (long long)s.testSize, (long long)s.skippedFiles, s.device.c_str());
    std::fflush(out_);
}

void CliProgress::batch(const BatchProgress& b) {
    if (!live_) return;
    std::fprintf(stderr, "\r\033[K  epoch %d batch %d/%d  loss %.4f  %.0f img/s", b.epoch, b.batch,
                 b.batches, b.loss, b.imagesPerSecond);
    batchLineShown_ = true;
}

void CliProgress::epoch(const EpochMetrics& m) {
    clearBatchLine();
    epochSecondsSum_ += m.seconds;
    if (!printing()) return;
    const double eta = epochSecondsSum_ / m.epoch * (epochs_ - m.epoch);
    // A stage that does not classify (an encoder, meta-learning) has no accuracy: "-".
    auto percent = [](double v) {
        char buf[16];
        if (v < 0) return std::string("    -");
        std::snprintf(buf, sizeof buf, "%5.1f%%", v);
        return std::string(buf);
    };
    auto loss = [](double v) {
        char buf[16];
        if (v < 0) return std::string("     -");
        std::snprintf(buf, sizeof buf, "%.4f", v);
        return std::string(buf);
    };
    const std::string stage = m.stage.empty() ? "" : " " + m.stage;
    std::fprintf(out_,
                 "epoch %3d/%d%s  train loss %.4f acc %s  val loss %s acc %s  lr %.5f  "
                 "%6.0f/s  %5.1fs  ETA %s%s\n",
                 m.epoch, epochs_, stage.c_str(), m.trainLoss, percent(m.trainAccuracy).c_str(),
                 loss(m.valLoss).c_str(), percent(m.valAccuracy).c_str(), m.lr, m.imagesPerSecond,
                 m.seconds, formatDuration(eta).c_str(), m.best ? "  *best" : "");
    std::fflush(out_);
}

void CliProgress::finished(const RunResult& r) {
    clearBatchLine();
    if (!printing()) return;
    if (!showTest_) {
        std::fprintf(out_, "finished: validation %.2f%% (epoch %d), %s, results in %s\n",
                     r.valAccuracy, r.bestEpoch, formatDuration(r.seconds).c_str(),
                     r.runDir.c_str());
        std::fflush(out_);
        return;
    }
    std::fprintf(out_,
                 "finished: test %.2f%% with the best-validation weights (epoch %d, val %.2f%%), "
                 "last epoch test %.2f%%, %s, %lld files skipped, results in %s\n",
                 r.testAccuracy, r.bestEpoch, r.valAccuracy, r.testAccuracyLast,
                 formatDuration(r.seconds).c_str(), (long long)r.skippedFiles, r.runDir.c_str());
    std::fflush(out_);
}

void CliProgress::failed(const RunResult& r) {
    clearBatchLine();
    std::fprintf(stderr, "%s: %s%s%s\n", statusName(r.status).c_str(), r.message.c_str(),
                 r.runDir.empty() ? "" : "; what was written is kept in ", r.runDir.c_str());
}

}  // namespace fewdata
