// The objectives of the methods that train on images, one factory per method: each picks a
// loss and its options from train/objectives.h. Declared without LibTorch so the catalogue
// (the *_method.cpp files) can name them.
#pragma once

#include "core/methods/registry.h"

namespace fewdata {

std::unique_ptr<Objective> makeBaselineObjective(const ObjectiveContext& context);
std::unique_ptr<Objective> makeMixupObjective(const ObjectiveContext& context);
std::unique_ptr<Objective> makeCutmixObjective(const ObjectiveContext& context);
std::unique_ptr<Objective> makeCosineObjective(const ObjectiveContext& context);
std::unique_ptr<Objective> makeCosineCeObjective(const ObjectiveContext& context);
std::unique_ptr<Objective> makeSupconObjective(const ObjectiveContext& context);
std::unique_ptr<Objective> makeSiameseContrastiveObjective(const ObjectiveContext& context);
std::unique_ptr<Objective> makeSiameseTripletObjective(const ObjectiveContext& context);

}  // namespace fewdata
