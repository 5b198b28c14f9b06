#include "core/train/schedule.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/base/errors.h"

namespace fewdata {
namespace {

double scheduleWithoutWarmup(const TrainConfig& c, double progress) {
    if (c.schedule == "step")  // the VIPriors toolkit: lr * gamma^(epoch // step_epochs)
        return c.lr * std::pow(c.step_gamma, std::floor(std::floor(progress) / c.step_epochs));
    const double t = std::min(1.0, std::max(0.0, progress / c.epochs));
    return 0.5 * c.lr * (1.0 + std::cos(M_PI * t));
}

}  // namespace

double scheduledLearningRate(const TrainConfig& c, double progress) {
    // A linear warm-up keeps the first steps of a from-scratch network from blowing up.
    const double warm = c.warmup_epochs > 0 ? std::min(1.0, progress / c.warmup_epochs) : 1.0;
    return warm * scheduleWithoutWarmup(c, progress);
}

TrainConfig stageSchedule(const TrainConfig& c, int stageEpochs) {
    TrainConfig s = c;
    const double scale = double(stageEpochs) / std::max(1, c.epochs);
    s.epochs = stageEpochs;
    s.step_epochs = static_cast<int>(std::clamp(std::ceil(c.step_epochs * scale - 1e-9), 1.0, 1e9));
    s.warmup_epochs = c.warmup_epochs * scale;
    return s;
}

void checkFinite(double loss, const std::string& where, double lr) {
    if (std::isfinite(loss)) return;
    std::ostringstream os;
    os << "training diverged: the loss became " << loss << " at " << where << " (learning rate "
       << lr << "); try a smaller --lr";
    throw TrainingDiverged(os.str());
}

}  // namespace fewdata
