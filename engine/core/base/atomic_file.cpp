#include "core/base/atomic_file.h"

#include "core/base/errors.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace fewdata {
namespace {

std::string tempNameFor(const std::string& path) {
    return path + ".tmp-" + std::to_string(::getpid());
}

[[noreturn]] void fail(const std::string& what, const std::string& path, int err) {
    throw std::runtime_error("cannot " + what + " '" + path + "': " + std::strerror(err));
}

void syncFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) fail("reopen", path, errno);
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0) fail("sync", path, err);
}

void commit(const std::string& tmp, const std::string& path) {
    syncFile(tmp);
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        std::remove(tmp.c_str());
        fail("rename temporary file to", path, err);
    }
}

}  // namespace

void writeFileAtomically(const std::string& path, const std::string& content) {
    const std::string tmp = tempNameFor(path);
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    // Errors name the target: the temporary file is ours, the user knows the other.
    if (!f) fail("write", path, errno);
    const size_t written = std::fwrite(content.data(), 1, content.size(), f);
    const int writeErr = errno;
    if (std::fclose(f) != 0 || written != content.size()) {
        std::remove(tmp.c_str());
        fail("write", path, written != content.size() ? writeErr : errno);
    }
    commit(tmp, path);
}

void writeNewFileAtomically(const std::string& path, const std::string& content) {
    const std::string tmp = tempNameFor(path) + ".new";
    writeFileAtomically(tmp, content);
    const int rc = ::link(tmp.c_str(), path.c_str());
    const int err = errno;
    std::remove(tmp.c_str());
    if (rc != 0 && err == EEXIST)
        throw InputError("'" + path + "' exists; results are never overwritten");
    if (rc != 0) fail("create", path, err);
}

void writeBytesAtomically(const std::string& path,
                          const std::function<void(const ByteSink&)>& write) {
    const std::string tmp = tempNameFor(path);
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) fail("write", path, errno);
    int err = 0;
    const ByteSink sink = [&](const void* data, size_t n) -> size_t {
        if (err == 0 && std::fwrite(data, 1, n, f) != n) err = errno ? errno : EIO;
        return n;
    };
    try {
        write(sink);
    } catch (const std::exception& e) {
        std::fclose(f);
        std::remove(tmp.c_str());
        throw std::runtime_error("cannot write '" + path + "': " + e.what());
    }
    if (std::fclose(f) != 0 && err == 0) err = errno;
    if (err != 0) {
        std::remove(tmp.c_str());
        fail("write", path, err);
    }
    commit(tmp, path);
}

}  // namespace fewdata
