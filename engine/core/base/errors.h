// The exceptions the engine uses to tell bad input, cancellation and divergence apart.
#pragma once

#include <stdexcept>
#include <string>

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

// A file could not be written (a full disk or quota, a read-only or failing file system); `error`
// is the errno, so what failed is known whatever language strerror spoke.
class WriteError : public std::runtime_error {
public:
    WriteError(const std::string& what, int err) : std::runtime_error(what), error(err) {}
    int error;
};

// A message for the user: LibTorch's errors carry their C++ backtrace ("Exception raised from
// ... frame #0: c10::Error::Error ..."), which is cut off here; the rest is kept as it is.
std::string withoutBacktrace(const std::string& what);

}  // namespace fewdata
