// A float32 matrix as a NumPy .npy file (format 1.0, little-endian '<f4', C order): what a run
// keeps of its test probabilities, readable by numpy.load as it is. The reader takes only that
// shape of file and names the file and what is wrong with it otherwise.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fewdata {

struct FloatMatrix {
    int64_t rows = 0, cols = 0;
    std::vector<float> values;  // row-major, rows x cols
    float at(int64_t r, int64_t c) const { return values[size_t(r * cols + c)]; }
};

// The file's bytes.
std::string npyBytes(const FloatMatrix& m);

// Parses `bytes` read from `source`; InputError naming `source` for anything but a 2-d
// little-endian float32 C-order array whose data is all there (and nothing after it).
FloatMatrix parseNpy(const std::string& bytes, const std::string& source);

// readRegularFile + parseNpy.
FloatMatrix readNpyFile(const std::string& path);

}  // namespace fewdata
