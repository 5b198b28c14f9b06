// The learning rate over a run (step or cosine, with a linear warm-up) and the check that
// the loss stayed finite under it: shared by the image trainer and the feature-stage loops.
#pragma once

#include <string>

#include "core/config/config.h"

namespace fewdata {

// The learning rate at a fractional epoch (epoch index + batch fraction), per the schedule.
double scheduledLearningRate(const TrainConfig& config, double epochProgress);

// Throws TrainingDiverged naming the epoch, batch and learning rate when `loss` is not finite.
void checkFinite(double loss, const std::string& where, double lr);

}  // namespace fewdata
