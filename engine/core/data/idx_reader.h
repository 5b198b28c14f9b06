// Reader for the IDX format of (Fashion-)MNIST, plain or gzip-compressed (zlib reads both).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fewdata {

struct IdxArray {
    std::vector<int64_t> dims;  // e.g. {60000, 28, 28} for images, {60000} for labels
    std::vector<uint8_t> data;  // row-major, unsigned bytes (the only element type MNIST uses)
};

// Reads an IDX file of unsigned bytes. Throws InputError naming the path for a missing file,
// a wrong magic number, an unsupported element type, or a size that disagrees with the header.
IdxArray readIdxFile(const std::string& path);

}  // namespace fewdata
