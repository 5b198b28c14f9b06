// The parts of RunFolder that need no LibTorch: the claim marker and its locks, and the names
// a run keeps of other folders (features_from).
#include "core/run/run_folder.h"
#include "core/run/run_folder_claim.h"

#include "core/base/atomic_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <thread>

namespace fs = std::filesystem;

namespace fewdata {

namespace claim_marker {

// isLocked() probes with a lock of its own for an instant (the window's study states): a few
// tries tell such a probe from a run that holds the folder.
bool lockWithRetries(int fd) {
    for (int tries = 0; ::flock(fd, LOCK_EX | LOCK_NB) != 0; ++tries) {
        if (errno != EWOULDBLOCK || tries >= 20) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

// The claim marker, opened without blocking (a FIFO of that name is refused, never waited on)
// and only as a plain file. -1 with errno set; ENOENT: no marker.
int openMarker(int dirFd, const char* path, int flags) {
    const int fd =
        ::openat(dirFd, path, flags | O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644);
    if (fd < 0) return -1;
    struct stat st;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        errno = EINVAL;
        return -1;
    }
    return fd;
}

bool onlyMarker(const std::string& dir) {
    std::error_code ec;
    auto it = fs::directory_iterator(dir, ec);
    if (ec || it == fs::directory_iterator() || it->path().filename() != RunFolder::kClaimMarker)
        return false;
    return ++it == fs::directory_iterator();
}

std::string busyText(const std::string& dir) {
    return "run folder '" + dir + "' is in use by a run that is still going";
}

}  // namespace claim_marker

namespace {

// Only an unlocked claim marker: what a run killed while it decoded its dataset leaves (the
// claim comes before the decode). Such a folder is free for a new run to take over.
bool onlyStaleClaim(const std::string& dir) {
    return claim_marker::onlyMarker(dir) && !RunFolder::isLocked(dir);
}

}  // namespace

std::filesystem::path physicalPath(const std::string& path) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(fs::absolute(path), ec);
    if (ec) p = fs::absolute(path).lexically_normal();
    if (p.filename().empty()) p = p.parent_path();  // a trailing separator
    return p;
}

void RunFolder::checkFree(const std::string& dir) {
    checkPathLength(dir);
    std::error_code ec;
    if (fs::is_symlink(fs::symlink_status(dir, ec)) && !fs::exists(dir, ec))
        throw InputError("run folder '" + dir + "' is a symbolic link to '" +
                         fs::read_symlink(dir, ec).string() +
                         "', which does not exist; choose another --out");
    if (!fs::exists(dir, ec)) return;
    if (!fs::is_directory(dir, ec))
        throw InputError("run folder '" + dir + "' exists and is not a folder");
    if (!fs::is_empty(dir, ec) && !onlyStaleClaim(dir)) {
        const std::string text = "run folder '" + dir +
                                 "' already exists and is not empty; runs are never "
                                 "overwritten, choose another --out";
        if (fs::exists(fs::path(dir) / kClaimMarker, ec)) throw FolderBusy(text);
        throw InputError(text);
    }
}

bool RunFolder::neverStarted(const std::string& dir) {
    return claim_marker::onlyMarker(dir);
}

bool RunFolder::isLocked(const std::string& dir) {
    const int fd = claim_marker::openMarker(AT_FDCWD, (fs::path(dir) / kClaimMarker).c_str(), 0);
    if (fd < 0) return false;
    const bool locked = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
    ::close(fd);
    return locked;
}

std::shared_ptr<void> RunFolder::holdStopped(const std::string& dir) {
    const int fd = claim_marker::openMarker(AT_FDCWD, (fs::path(dir) / kClaimMarker).c_str(), 0);
    if (fd < 0) return nullptr;
    if (!claim_marker::lockWithRetries(fd)) {
        ::close(fd);
        throw FolderBusy(claim_marker::busyText(dir));
    }
    return std::shared_ptr<int>(new int(fd), [](int* p) {
        ::close(*p);
        delete p;
    });
}

std::string storedFeaturesFrom(const std::string& runDir, const std::string& featuresFrom) {
    if (featuresFrom.empty()) return featuresFrom;
    const fs::path relative =
        physicalPath(featuresFrom).lexically_relative(physicalPath(runDir));
    return relative.empty() ? physicalPath(featuresFrom).string() : relative.string();
}

std::string resolvedFeaturesFrom(const std::string& runDir, const std::string& stored) {
    if (stored.empty() || fs::path(stored).is_absolute()) return stored;
    // Stored from physical paths, so it is resolved as the kernel resolves "..": the short,
    // lexical form only where it leads to the same folder (no link on the way).
    const fs::path joined = fs::path(runDir) / stored;
    fs::path fromRun = joined.lexically_normal();
    std::error_code ec;
    if (fs::is_directory(joined, ec)) {
        if (!fs::equivalent(fromRun, joined, ec)) fromRun = physicalPath(joined.string());
    } else if (fs::is_directory(stored, ec)) {
        return stored;
    }
    std::string text = fromRun.string();
    if (text.size() > 1 && text.back() == '/') text.pop_back();
    return text;
}

}  // namespace fewdata
