// An image file's dimensions from its header, before anything is decoded: OpenCV 4.6 has no
// header-only API, and its decoders allocate the whole picture (a 30000 x 30000 one-colour PNG
// of 2.7 MB costs gigabytes) or print to stderr for a file they cannot read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace fewdata {

struct ImageHeader {
    int64_t width = 0, height = 0;
    std::string error;  // set when the bytes are not a PNG, JPEG, BMP or WebP header we can read
};

// PNG (IHDR), JPEG (the first SOFn frame), BMP (core and info headers) and WebP (VP8, VP8L,
// VP8X). Reads only the bytes given; never throws.
ImageHeader readImageHeader(const uint8_t* bytes, size_t size);

}  // namespace fewdata
