#include "core/base/npy_file.h"

#include <cctype>
#include <cstring>

#include "core/base/errors.h"
#include "core/base/file_read.h"

namespace fewdata {
namespace {

const char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLength = 6;
// Larger than any probability matrix a run writes (50,000 images x 1,000 classes is 200 MB).
constexpr size_t kMaxNpyBytes = size_t(512) << 20;

// Reads 1 to 12 digits at `pos`, moving past them; false without one.
bool readCount(const std::string& s, size_t& pos, int64_t& out) {
    size_t end = pos;
    while (end < s.size() && end - pos < 13 && std::isdigit(static_cast<unsigned char>(s[end])))
        ++end;
    if (end == pos || end - pos > 12) return false;
    out = std::stoll(s.substr(pos, end - pos));
    pos = end;
    return true;
}

// The header npyBytes writes, padding aside: "{'descr': '<f4', 'fortran_order': False,
// 'shape': (R, C), }" then spaces and a newline. No regex: libstdc++'s backtracks recursively
// and a 64 KB header of spaces would exhaust the stack.
bool parseHeader(const std::string& header, int64_t& rows, int64_t& cols) {
    const std::string lead = "{'descr': '<f4', 'fortran_order': False, 'shape': (";
    if (header.compare(0, lead.size(), lead) != 0) return false;
    size_t pos = lead.size();
    if (!readCount(header, pos, rows) || header.compare(pos, 2, ", ") != 0) return false;
    pos += 2;
    if (!readCount(header, pos, cols)) return false;
    const std::string tail = "), }";
    if (header.compare(pos, tail.size(), tail) != 0) return false;
    pos += tail.size();
    while (pos < header.size() && header[pos] == ' ') ++pos;
    return pos + 1 == header.size() && header[pos] == '\n';
}

bool littleEndian() {
    const uint16_t one = 1;
    unsigned char first = 0;
    std::memcpy(&first, &one, 1);
    return first == 1;
}

}  // namespace

std::string npyBytes(const FloatMatrix& m) {
    if (!littleEndian()) throw std::runtime_error("npy: only little-endian hosts are supported");
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                         std::to_string(m.rows) + ", " + std::to_string(m.cols) + "), }";
    // Magic, version, header length, header: the data starts at a multiple of 64 bytes.
    const size_t prefix = kMagicLength + 2 + 2;
    while ((prefix + header.size() + 1) % 64 != 0) header += ' ';
    header += '\n';
    std::string out(kMagic, kMagicLength);
    out += '\x01';
    out += '\x00';
    out += char(header.size() & 0xff);
    out += char((header.size() >> 8) & 0xff);
    out += header;
    out.append(reinterpret_cast<const char*>(m.values.data()), m.values.size() * sizeof(float));
    return out;
}

FloatMatrix parseNpy(const std::string& bytes, const std::string& source) {
    auto bad = [&](const std::string& why) {
        return InputError("'" + source + "' is not a probability matrix the workbench wrote: " +
                          why);
    };
    if (!littleEndian()) throw bad("only little-endian hosts can read it");
    if (bytes.size() < kMagicLength + 4 || bytes.compare(0, kMagicLength, kMagic) != 0)
        throw bad("no .npy magic");
    if (bytes[kMagicLength] != '\x01') throw bad("not .npy format version 1");
    const size_t headerLength = size_t(static_cast<unsigned char>(bytes[kMagicLength + 2])) |
                                size_t(static_cast<unsigned char>(bytes[kMagicLength + 3])) << 8;
    const size_t dataStart = kMagicLength + 4 + headerLength;
    if (dataStart > bytes.size()) throw bad("the header is cut short");
    FloatMatrix m;
    if (!parseHeader(bytes.substr(kMagicLength + 4, headerLength), m.rows, m.cols))
        throw bad("the header is not that of a 2-d little-endian float32 C-order array");
    const size_t dataBytes = bytes.size() - dataStart;
    // rows and cols are below 10^12 each: compare without multiplying past 64 bits.
    if (m.cols == 0 ? dataBytes != 0
                    : (dataBytes % (sizeof(float) * size_t(m.cols)) != 0 ||
                       dataBytes / (sizeof(float) * size_t(m.cols)) != size_t(m.rows)))
        throw bad("it holds " + std::to_string(dataBytes) + " bytes of data for shape (" +
                  std::to_string(m.rows) + ", " + std::to_string(m.cols) + ")");
    m.values.resize(dataBytes / sizeof(float));
    if (dataBytes > 0) std::memcpy(m.values.data(), bytes.data() + dataStart, dataBytes);
    return m;
}

FloatMatrix readNpyFile(const std::string& path) {
    return parseNpy(readRegularFile(path, kMaxNpyBytes), path);
}

}  // namespace fewdata
