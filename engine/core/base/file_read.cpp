#include "core/base/file_read.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/base/errors.h"

namespace fewdata {
namespace {

std::string kindOf(mode_t mode) {
    if (S_ISDIR(mode)) return "a folder";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
    return "not a regular file";
}

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

}  // namespace

int openRegularFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        const int err = errno;
        if (err == ENOENT) throw InputError("'" + path + "' does not exist");
        throw InputError("cannot open '" + path + "': " + std::strerror(err));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        const std::string kind = kindOf(st.st_mode);
        ::close(fd);
        throw InputError("'" + path + "' is " + kind + (kind[0] == 'a' ? ", not a file" : ""));
    }
    // Reads of a regular file never block; the flag only mattered for the open.
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

void requireRegularFile(const std::string& path) { ::close(openRegularFile(path)); }

std::string readRegularFile(const std::string& path, size_t maxBytes) {
    const Fd fd(openRegularFile(path));
    struct stat st {};
    ::fstat(fd.get(), &st);
    if (st.st_size > 0 && size_t(st.st_size) > maxBytes)
        throw InputError("'" + path + "' is " + std::to_string(st.st_size) +
                         " bytes, more than the " + std::to_string(maxBytes) + " allowed");
    std::string out;
    out.reserve(size_t(st.st_size));
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw InputError("cannot read '" + path + "': " + std::strerror(errno));
        if (n == 0) break;
        out.append(buf, size_t(n));
        if (out.size() > maxBytes)  // a file that grows while it is read
            throw InputError("'" + path + "' is more than the " + std::to_string(maxBytes) +
                             " bytes allowed");
    }
    return out;
}

nlohmann::json parseJsonText(const std::string& text, const std::string& source) {
    // The callback sees each value's depth as the parser reaches it, before a deeper level
    // exists in memory; nlohmann's parser itself keeps its state on the heap.
    const auto limit = [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
        if (depth > kMaxJsonDepth)
            throw InputError("'" + source + "' is nested more than " +
                             std::to_string(kMaxJsonDepth) + " levels deep");
        return true;
    };
    try {
        return nlohmann::json::parse(text, limit);
    } catch (const nlohmann::json::exception& e) {
        throw InputError("'" + source + "' is not valid JSON: " + e.what());
    }
}

nlohmann::json readJsonFile(const std::string& path) {
    return parseJsonText(readRegularFile(path), path);
}

}  // namespace fewdata
