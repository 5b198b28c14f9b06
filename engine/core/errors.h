// The exceptions the engine uses to tell bad input, cancellation and divergence apart.
#pragma once

#include <stdexcept>

namespace fewdata {

// Any bad user input (config, flags, dataset, run folder); the message names what is wrong.
class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The cancel flag was seen.
class Cancelled : public std::runtime_error {
public:
    Cancelled() : std::runtime_error("cancelled by the user") {}
};

// A NaN or infinite loss; the message names the epoch, batch and learning rate.
class TrainingDiverged : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace fewdata
