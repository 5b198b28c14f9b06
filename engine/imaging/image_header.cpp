#include "imaging/image_header.h"

#include <cstdlib>
#include <cstring>

namespace fewdata {
namespace {

uint32_t be16(const uint8_t* p) { return uint32_t(p[0]) << 8 | p[1]; }
uint32_t be32(const uint8_t* p) { return be16(p) << 16 | be16(p + 2); }
uint32_t le16(const uint8_t* p) { return uint32_t(p[1]) << 8 | p[0]; }
uint32_t le24(const uint8_t* p) { return uint32_t(p[2]) << 16 | le16(p); }
uint32_t le32(const uint8_t* p) { return uint32_t(p[3]) << 24 | le24(p); }

ImageHeader sized(int64_t w, int64_t h) {
    ImageHeader r;
    r.width = w;
    r.height = h;
    if (w <= 0 || h <= 0) r.error = "the header gives no size (" + std::to_string(w) + " x " +
                                    std::to_string(h) + ")";
    return r;
}

ImageHeader failed(const std::string& why) {
    ImageHeader r;
    r.error = why;
    return r;
}

ImageHeader png(const uint8_t* b, size_t n) {
    if (n < 24 || std::memcmp(b + 12, "IHDR", 4) != 0)
        return failed("truncated PNG (no IHDR header)");
    return sized(be32(b + 16), be32(b + 20));
}

// Markers are walked segment by segment up to the first frame header; the APPn segments before
// it (EXIF, ICC profiles) can be large, so the frame is not at a fixed place.
ImageHeader jpeg(const uint8_t* b, size_t n) {
    size_t at = 2;
    while (at + 1 < n) {
        if (b[at] != 0xFF) return failed("corrupt JPEG (no marker where one is due)");
        const uint8_t marker = b[at + 1];
        if (marker == 0xFF) {  // fill byte
            ++at;
            continue;
        }
        at += 2;
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // no length
        if (marker == 0xD9 || marker == 0xDA) break;  // end of image, start of scan: no frame
        if (at + 2 > n) break;
        const size_t length = be16(b + at);
        const bool frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 &&
                           marker != 0xC8 && marker != 0xCC;
        if (frame) {
            if (length < 7 || at + 7 > n) break;
            return sized(be16(b + at + 5), be16(b + at + 3));
        }
        if (length < 2) return failed("corrupt JPEG (a segment of length " +
                                      std::to_string(length) + ")");
        at += length;
    }
    return failed("truncated JPEG (no frame header)");
}

ImageHeader bmp(const uint8_t* b, size_t n) {
    if (n < 18) return failed("truncated BMP (shorter than its headers)");
    const uint32_t info = le32(b + 14);
    if (info == 12) {  // OS/2 core header: 16-bit unsigned sides
        if (n < 26) return failed("truncated BMP (shorter than its headers)");
        return sized(le16(b + 18), le16(b + 20));
    }
    // 16 and 64: OS/2 2.x; 40 and more: Windows' info headers. All give 32-bit sides there.
    if (info < 16 || n < 14 + size_t(info)) return failed("truncated BMP (shorter than its headers)");
    // A negative height is a top-down picture.
    return sized(std::llabs(int32_t(le32(b + 18))), std::llabs(int32_t(le32(b + 22))));
}

ImageHeader webp(const uint8_t* b, size_t n) {
    if (n < 30) return failed("truncated WebP (shorter than its headers)");
    const uint8_t* c = b + 12;  // the first chunk
    if (std::memcmp(c, "VP8X", 4) == 0) return sized(1 + le24(b + 24), 1 + le24(b + 27));
    if (std::memcmp(c, "VP8L", 4) == 0) {
        if (b[20] != 0x2F) return failed("corrupt WebP (no lossless signature)");
        const uint32_t bits = le32(b + 21);
        return sized(1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF));
    }
    if (std::memcmp(c, "VP8 ", 4) == 0) {
        if (b[23] != 0x9D || b[24] != 0x01 || b[25] != 0x2A)
            return failed("corrupt WebP (no key frame start code)");
        return sized(le16(b + 26) & 0x3FFF, le16(b + 28) & 0x3FFF);
    }
    return failed("a WebP file of an unknown kind");
}

}  // namespace

ImageHeader readImageHeader(const uint8_t* b, size_t n) {
    static const uint8_t kPng[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (n >= 8 && std::memcmp(b, kPng, 8) == 0) return png(b, n);
    if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return jpeg(b, n);
    if (n >= 2 && b[0] == 'B' && b[1] == 'M') return bmp(b, n);
    if (n >= 12 && std::memcmp(b, "RIFF", 4) == 0 && std::memcmp(b + 8, "WEBP", 4) == 0)
        return webp(b, n);
    return failed("not a PNG, JPEG, BMP or WebP file");
}

}  // namespace fewdata
