#include "imaging/image_decode.h"

#include <ATen/Parallel.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/base/errors.h"
#include "core/base/file_read.h"
#include "imaging/image_header.h"

namespace fewdata {
namespace {

// Every decode holds its estimated memory from this budget while it runs, so a few large
// images that are each allowed do not decode on every thread at once. An image larger than the
// whole budget still decodes, alone.
class DecodeBudget {
public:
    class Hold {
    public:
        Hold(DecodeBudget& b, uint64_t bytes) : budget_(b), bytes_(b.acquire(bytes)) {}
        ~Hold() { budget_.release(bytes_); }
        Hold(const Hold&) = delete;
        Hold& operator=(const Hold&) = delete;

    private:
        DecodeBudget& budget_;
        uint64_t bytes_;
    };

private:
    uint64_t acquire(uint64_t bytes) {
        bytes = std::min(bytes, kDecodeMemoryBudget);
        std::unique_lock<std::mutex> lock(mutex_);
        freed_.wait(lock, [&] { return used_ + bytes <= kDecodeMemoryBudget; });
        used_ += bytes;
        return bytes;
    }
    void release(uint64_t bytes) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            used_ -= bytes;
        }
        freed_.notify_all();
    }

    std::mutex mutex_;
    std::condition_variable freed_;
    uint64_t used_ = 0;
};

DecodeBudget& decodeBudget() {
    static DecodeBudget budget;
    return budget;
}

// Every failure is reported with the file's skip reason; OpenCV's own log lines would only
// repeat it less clearly. (Its "can't read header" goes to std::cerr directly, which the
// header check before decoding keeps from happening.)
void quietOpenCv() {
    static std::once_flag once;
    std::call_once(once, [] {
        cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
    });
}

bool readAll(const std::string& path, std::vector<uint8_t>& out, std::string& error) {
    int fd = -1;
    try {
        // Regular files only, opened without blocking: a FIFO or device named like an image
        // is skipped with its reason instead of waiting forever for a writer.
        fd = openRegularFile(path);
    } catch (const InputError& e) {
        error = std::string("cannot open the file: ") + e.what();
        return false;
    }
    const std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { ::close(*f); });
    struct stat st {};
    if (::fstat(fd, &st) != 0 || st.st_size <= 0) {
        error = "the file is empty";
        return false;
    }
    if (uint64_t(st.st_size) > kMaxImageFileBytes) {
        error = "the file is " + std::to_string(st.st_size) + " bytes, more than the " +
                std::to_string(kMaxImageFileBytes) + " an image file may have";
        return false;
    }
    out.resize(size_t(st.st_size));
    size_t done = 0;
    while (done < out.size()) {
        const ssize_t n = ::read(fd, out.data() + done, out.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            error = n < 0 ? std::string("read error: ") + std::strerror(errno)
                          : "the file shrank while it was read";
            return false;
        }
        done += size_t(n);
    }
    return true;
}

// The decoded picture and the resized one before the crop, in pixels, as doubles: a header may
// claim sides up to 2^32 - 1, whose product overflows an int64.
struct DecodeSize {
    double decoded, resized;
};

DecodeSize decodeSize(const ImageHeader& h, const ImageGeometry& g) {
    const double w = double(h.width), hh = double(h.height);
    const double scale = std::max(double(g.width) / w, double(g.height) / hh);
    return {w * hh, std::max(double(g.width), w * scale) * std::max(double(g.height), hh * scale)};
}

std::string tooLarge(const ImageHeader& h, const ImageGeometry& g) {
    const DecodeSize size = decodeSize(h, g);
    const std::string dims = std::to_string(h.width) + " x " + std::to_string(h.height);
    const std::string limit = std::to_string(kMaxImagePixels / 1'000'000) + " megapixels";
    if (size.decoded > double(kMaxImagePixels))
        return "the image is " + dims + " pixels, more than the " + limit + " an image may have";
    // A long, thin image is small but its shorter side brought to the target makes it huge.
    if (size.resized > double(kMaxImagePixels))
        return "the image is " + dims + " pixels: its shorter side scaled to " +
               std::to_string(std::max(g.width, g.height)) + " makes it more than " + limit;
    return {};
}

bool tailContains(const std::vector<uint8_t>& b, std::initializer_list<uint8_t> needle,
                  size_t window) {
    const size_t from = b.size() > window ? b.size() - window : 0;
    return std::search(b.begin() + static_cast<std::ptrdiff_t>(from), b.end(), needle.begin(),
                       needle.end()) != b.end();
}

// A JPEG must end with its EOI marker and a PNG with its IEND chunk; libjpeg and libpng
// otherwise fill the missing rows with grey and only print a warning.
std::string truncationProblem(const std::vector<uint8_t>& b) {
    if (b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) {
        if (!tailContains(b, {0xFF, 0xD9}, 1024)) return "truncated JPEG (no end-of-image marker)";
    } else if (b.size() >= 8 && b[0] == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
        if (!tailContains(b, {'I', 'E', 'N', 'D'}, 16)) return "truncated PNG (no IEND chunk)";
    } else if (b.size() >= 2 && b[0] == 'B' && b[1] == 'M') {
        // Checked here because OpenCV reports a short BMP on std::cerr as well as failing.
        // The file-size field is often wrong in valid files, so the pixel rows are counted
        // instead, where the layout is plain (uncompressed, a Windows info header).
        if (b.size() < 26) return "truncated BMP (shorter than its headers)";
        auto u32 = [&](size_t at) {
            return uint32_t(b[at]) | uint32_t(b[at + 1]) << 8 | uint32_t(b[at + 2]) << 16 |
                   uint32_t(b[at + 3]) << 24;
        };
        if (b.size() >= 54 && u32(14) >= 40 && (u32(30) == 0 || u32(30) == 3)) {
            const int64_t width = int32_t(u32(18)), height = int32_t(u32(22));
            const int64_t bits = int64_t(b[28]) | int64_t(b[29]) << 8;
            constexpr int64_t kSide = int64_t(1) << 24;  // beyond: OpenCV's to judge, no overflow
            if (bits > 64 || std::abs(width) > kSide || std::abs(height) > kSide) return {};
            const int64_t stride = (std::abs(width) * bits + 31) / 32 * 4;
            const int64_t need = int64_t(u32(10)) + stride * std::abs(height);
            if (int64_t(b.size()) < need)
                return "truncated BMP (" + std::to_string(b.size()) + " of " +
                       std::to_string(need) + " bytes)";
        }
    }
    return {};
}

cv::Mat toTargetChannels(const cv::Mat& src, int channels) {
    cv::Mat m = src;
    if (m.depth() == CV_16U)
        m.convertTo(m, CV_8U, 1.0 / 257.0);
    else if (m.depth() != CV_8U)
        m.convertTo(m, CV_8U);
    cv::Mat out;
    if (m.channels() == 2) cv::extractChannel(m, m, 0);  // grey + alpha: keep the grey
    const int c = m.channels();
    if (channels == 1) {
        if (c == 1)
            out = m;
        else
            cv::cvtColor(m, out, c == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
    } else {
        if (c == 1)
            cv::cvtColor(m, out, cv::COLOR_GRAY2RGB);
        else
            cv::cvtColor(m, out, c == 4 ? cv::COLOR_BGRA2RGB : cv::COLOR_BGR2RGB);
    }
    return out;
}

DecodeOutcome decodeOrExplain(const std::string& path, const ImageGeometry& g) {
    DecodeOutcome r;
    std::vector<uint8_t> bytes;
    if (!readAll(path, bytes, r.error)) return r;
    r.error = truncationProblem(bytes);
    if (!r.error.empty()) return r;
    // The header first: what OpenCV could not read, and what would cost too much, is never
    // handed to it.
    const ImageHeader header = readImageHeader(bytes.data(), bytes.size());
    r.error = header.error.empty() ? tooLarge(header, g) : header.error;
    if (!r.error.empty()) return r;
    quietOpenCv();
    const DecodeSize size = decodeSize(header, g);  // both within kMaxImagePixels now
    const DecodeBudget::Hold hold(
        decodeBudget(), uint64_t(size.decoded) * kDecodeBytesPerPixel +
                            uint64_t(size.resized) * uint64_t(std::max(1, g.channels)));
    cv::Mat raw = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
    if (raw.empty() || raw.cols < 1 || raw.rows < 1) {
        r.error = "not a decodable image (unknown format or corrupt data)";
        return r;
    }
    cv::Mat img = toTargetChannels(raw, g.channels);
    // Shorter side to the target, then the centre square: keeps the aspect ratio.
    const double scale = std::max(double(g.width) / img.cols, double(g.height) / img.rows);
    const int w = std::max(g.width, int(std::lround(img.cols * scale)));
    const int h = std::max(g.height, int(std::lround(img.rows * scale)));
    cv::Mat resized;
    cv::resize(img, resized, cv::Size(w, h), 0, 0, scale < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
    cv::Mat crop =
        resized(cv::Rect((w - g.width) / 2, (h - g.height) / 2, g.width, g.height)).clone();
    auto t = torch::from_blob(crop.data, {g.height, g.width, g.channels}, torch::kUInt8);
    r.image = t.permute({2, 0, 1}).contiguous();
    return r;
}

}  // namespace

bool hasImageExtension(const std::string& path) {
    const auto dot = path.find_last_of('.');
    if (dot == std::string::npos) return false;
    std::string ext = path.substr(dot + 1);
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char ch) { return std::tolower(ch); });
    return ext == "jpg" || ext == "jpeg" || ext == "png" || ext == "bmp" || ext == "webp";
}

DecodeOutcome decodeImageFile(const std::string& path, const ImageGeometry& g) {
    // Whatever one file does (an odd format, an allocation that fails on a huge image), it is
    // that file's error, never the run's.
    try {
        return decodeOrExplain(path, g);
    } catch (const std::exception& e) {
        DecodeOutcome r;
        r.error = std::string("cannot decode: ") + e.what();
        return r;
    }
}

DecodedImages decodeImageFiles(const std::vector<SampleRef>& samples, const ImageGeometry& g,
                               const std::atomic<bool>* cancel) {
    const int64_t n = static_cast<int64_t>(samples.size());
    std::vector<DecodeOutcome> outcomes(samples.size());
    at::parallel_for(0, n, 4, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
            if (cancel && cancel->load()) return;
            outcomes[size_t(i)] = decodeImageFile(samples[size_t(i)].id, g);
        }
    });
    if (cancel && cancel->load()) throw Cancelled();
    DecodedImages out;
    std::vector<torch::Tensor> rows;
    for (size_t i = 0; i < outcomes.size(); ++i) {
        if (outcomes[i].error.empty()) {
            rows.push_back(outcomes[i].image);
            out.kept.push_back(i);
        } else {
            out.skipped.push_back({samples[i].id, outcomes[i].error});
        }
    }
    out.images = rows.empty() ? torch::empty({0, g.channels, g.height, g.width}, torch::kUInt8)
                              : torch::stack(rows);
    return out;
}

}  // namespace fewdata
