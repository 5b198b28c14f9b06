// The learning rate over a run (step or cosine, with a linear warm-up) and the check that
// the loss stayed finite under it: shared by the image trainer and the feature-stage loops.
#pragma once

#include <string>

#include "core/config/config.h"

namespace fewdata {

// The learning rate at a fractional epoch (epoch index + batch fraction), per the schedule.
double scheduledLearningRate(const TrainConfig& config, double epochProgress);

// The run's schedule for a later stage of `stageEpochs` epochs (the classifiers and the
// embedding network on features): the same curve stretched to the stage's length, so it falls
// by the same factors at the same fractions of the stage as the image stage does.
// step_epochs and warmup_epochs scale by stageEpochs / epochs (step_epochs rounded up, so the
// stage never drops more often than the run); schedule, step_gamma and lr stay.
TrainConfig stageSchedule(const TrainConfig& config, int stageEpochs);

// Throws TrainingDiverged naming the epoch, batch and learning rate when `loss` is not finite.
void checkFinite(double loss, const std::string& where, double lr);

}  // namespace fewdata
