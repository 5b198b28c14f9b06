#include "core/data/idx_reader.h"

#include <zlib.h>

#include <algorithm>
#include <memory>

#include "core/base/errors.h"

namespace fewdata {
namespace {

struct GzCloser {
    void operator()(gzFile_s* f) const { gzclose(f); }
};

// Reads exactly n bytes; returns the count actually read (short at end of file).
size_t readBytes(gzFile f, uint8_t* out, size_t n, const std::string& path) {
    size_t total = 0;
    while (total < n) {
        const unsigned chunk = static_cast<unsigned>(std::min<size_t>(n - total, 1u << 30));
        const int got = gzread(f, out + total, chunk);
        if (got < 0) {
            int errnum = 0;
            const char* msg = gzerror(f, &errnum);
            throw InputError("IDX file '" + path + "' is corrupt: " + (msg ? msg : "read error"));
        }
        if (got == 0) break;
        total += static_cast<size_t>(got);
    }
    return total;
}

}  // namespace

IdxArray readIdxFile(const std::string& path) {
    std::unique_ptr<gzFile_s, GzCloser> f(gzopen(path.c_str(), "rb"));
    if (!f) throw InputError("cannot open IDX file '" + path + "'");

    uint8_t header[4];
    if (readBytes(f.get(), header, 4, path) != 4)
        throw InputError("IDX file '" + path + "' is too short to hold a header");
    if (header[0] != 0 || header[1] != 0)
        throw InputError("IDX file '" + path + "' has a wrong magic number (first bytes " +
                         std::to_string(header[0]) + " " + std::to_string(header[1]) +
                         ", expected 0 0)");
    if (header[2] != 0x08)
        throw InputError("IDX file '" + path + "' has element type " + std::to_string(header[2]) +
                         "; only unsigned bytes (8) are supported");
    const int ndims = header[3];
    if (ndims < 1 || ndims > 4)
        throw InputError("IDX file '" + path + "' declares " + std::to_string(ndims) +
                         " dimensions; expected 1 to 4");

    IdxArray arr;
    int64_t count = 1;
    for (int d = 0; d < ndims; ++d) {
        uint8_t b[4];
        if (readBytes(f.get(), b, 4, path) != 4)
            throw InputError("IDX file '" + path + "' ends inside its header");
        const int64_t dim =
            (int64_t(b[0]) << 24) | (int64_t(b[1]) << 16) | (int64_t(b[2]) << 8) | int64_t(b[3]);
        // Checked before multiplying, so a hostile header cannot overflow the count.
        constexpr int64_t kLimit = int64_t(1) << 34;
        if (dim != 0 && count > kLimit / dim)
            throw InputError("IDX file '" + path + "' declares an implausible size");
        arr.dims.push_back(dim);
        count *= dim;
    }
    // Grown chunk by chunk, so a header that lies about the size cannot force a huge allocation.
    const size_t want = static_cast<size_t>(count);
    size_t got = 0;
    while (got < want) {
        const size_t chunk = std::min<size_t>(want - got, size_t(16) << 20);
        arr.data.resize(got + chunk);
        const size_t n = readBytes(f.get(), arr.data.data() + got, chunk, path);
        got += n;
        if (n < chunk) break;
    }
    if (got != want)
        throw InputError("IDX file '" + path + "' is truncated: header promises " +
                         std::to_string(count) + " bytes of data, found " + std::to_string(got));
    uint8_t extra;
    if (readBytes(f.get(), &extra, 1, path) != 0)
        throw InputError("IDX file '" + path + "' has more data than its header declares");
    return arr;
}

}  // namespace fewdata
