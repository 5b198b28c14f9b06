// A method for the test suite only (nearest_mean_method.cpp).
#pragma once

namespace fewdata {

// Adds "nearest-mean" to the method registry (once).
void registerNearestMean();

}  // namespace fewdata
