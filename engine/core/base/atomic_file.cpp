#include "core/base/atomic_file.h"

#include "core/base/errors.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <stdexcept>

namespace fs = std::filesystem;

namespace fewdata {
namespace {

constexpr size_t kRandomChars = 12;
constexpr const char* kTempMark = ".tmp-";

[[noreturn]] void fail(const std::string& what, const std::string& path, int err) {
    throw WriteError("cannot " + what + " '" + path + "': " + std::strerror(err), err);
}

std::string folderOf(const std::string& path) {
    const fs::path parent = fs::path(path).parent_path();
    return parent.empty() ? "." : parent.string();
}

bool isLink(const std::string& path) {
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

[[noreturn]] void refuseLink(const std::string& path) {
    std::error_code ec;
    const std::string to = fs::read_symlink(path, ec).string();
    throw InputError("'" + path + "' is a symbolic link" + (to.empty() ? "" : " to '" + to + "'") +
                     (fs::exists(path, ec) ? "" : ", which does not exist") +
                     "; results are written to a plain file, never through a link");
}

// InputError naming `path` when its folder is missing or not a folder.
void checkFolderOf(const std::string& path) {
    const std::string folder = folderOf(path);
    struct stat st;
    if (::stat(folder.c_str(), &st) != 0)
        throw InputError("cannot write '" + path + "': its folder '" + folder +
                         "' does not exist");
    if (!S_ISDIR(st.st_mode))
        throw InputError("cannot write '" + path + "': '" + folder + "' is not a folder");
}

// Nothing is written yet when the temporary file cannot be created: the path is the user's
// mistake, told in terms of the path they gave.
[[noreturn]] void failToCreate(const std::string& path, int err) {
    checkFolderOf(path);
    if (err == EACCES || err == EPERM || err == EROFS || err == ENAMETOOLONG || err == ELOOP)
        throw InputError("cannot write '" + path + "': " + std::strerror(err));
    fail("write", path, err);
}

std::string randomName() {
    static const char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device device;  // the kernel's random source: another user cannot predict it
    std::string s;
    while (s.size() < kRandomChars) {
        unsigned v = device();
        for (int i = 0; i < 4 && s.size() < kRandomChars; ++i, v >>= 8)
            s += kChars[(v & 0xff) % (sizeof(kChars) - 1)];
    }
    return s;
}

// A new, exclusively created file beside the target, removed again unless committed.
// Not mkostemp: its mode 0600 would make every result private whatever the user's umask.
class TempFile {
public:
    explicit TempFile(const std::string& target) : target_(target) {
        checkPathLength(target);
        if (isLink(target)) refuseLink(target);
        const fs::path p(target);
        std::string name = p.filename().string();
        if (name.empty() || name == "." || name == "..")
            throw InputError("cannot write '" + target + "': it names a folder, not a file");
        // A name at NAME_MAX is allowed for the target; its temporary file is cut to fit.
        const size_t room = NAME_MAX - std::strlen(kTempMark) - kRandomChars;
        if (name.size() > room) name.resize(room);
        const std::string stem = (p.parent_path() / name).string() + kTempMark;
        for (int tries = 0; tries < 100 && fd_ < 0; ++tries) {
            name_ = stem + randomName();
            fd_ = ::open(name_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                         0666);
            if (fd_ < 0 && errno != EEXIST) failToCreate(target, errno);
        }
        if (fd_ < 0) fail("create a temporary file for", target, EEXIST);
        file_ = ::fdopen(fd_, "wb");
        if (!file_) {
            const int err = errno;
            ::close(fd_);
            ::unlink(name_.c_str());
            fail("write", target, err);
        }
    }
    ~TempFile() {
        if (file_) std::fclose(file_);
        if (!name_.empty()) ::unlink(name_.c_str());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    std::FILE* file() { return file_; }

    // Flushes, syncs and closes; `err`: a write error seen before.
    void close(int err) {
        if (err == 0 && std::fflush(file_) != 0) err = errno;
        if (err == 0 && ::fsync(fd_) != 0) err = errno;
        const int rc = std::fclose(file_);
        file_ = nullptr;
        if (err == 0 && rc != 0) err = errno;
        if (err != 0) fail("write", target_, err);
    }

    void renameOver() {
        if (std::rename(name_.c_str(), target_.c_str()) != 0)
            fail("rename temporary file to", target_, errno);
        name_.clear();
    }

    // link() fails when anything, a dangling link too, has the target's name.
    void linkNew() {
        const int rc = ::link(name_.c_str(), target_.c_str());
        const int err = errno;
        if (rc == 0) return;  // the destructor removes the temporary name
        if (err == EEXIST && isLink(target_)) refuseLink(target_);
        if (err == EEXIST)
            throw InputError("'" + target_ + "' exists; results are never overwritten");
        fail("create", target_, err);
    }

private:
    std::string target_, name_;
    int fd_ = -1;
    std::FILE* file_ = nullptr;
};

void writeTemp(TempFile& tmp, const std::string& content) {
    const size_t written = std::fwrite(content.data(), 1, content.size(), tmp.file());
    tmp.close(written == content.size() ? 0 : (errno ? errno : EIO));
}

}  // namespace

bool isTemporaryFileName(const std::string& fileName) {
    return fileName.find(kTempMark) != std::string::npos;
}

void checkPathLength(const std::string& path) {
    // The path itself may be what is too long to print: its start names it well enough.
    const std::string shown = path.size() > 120 ? path.substr(0, 100) + "..." : path;
    if (path.size() >= PATH_MAX)
        throw InputError("path '" + shown + "' is " + std::to_string(path.size()) +
                         " characters long, more than this system allows (" +
                         std::to_string(PATH_MAX - 1) + ")");
    for (const auto& part : fs::path(path))
        if (part.string().size() > NAME_MAX)
            throw InputError("'" + shown + "': a name in it is " +
                             std::to_string(part.string().size()) +
                             " characters long, more than this system allows (" +
                             std::to_string(NAME_MAX) + ")");
}

void checkNewFileTarget(const std::string& path) {
    checkPathLength(path);
    checkFolderOf(path);
    if (isLink(path)) refuseLink(path);
    struct stat st;
    if (::lstat(path.c_str(), &st) == 0)
        throw InputError("'" + path + "' exists; results are never overwritten");
    if (::access(folderOf(path).c_str(), W_OK) != 0)
        throw InputError("cannot write '" + path + "': " + std::strerror(errno));
}

void writeFileAtomically(const std::string& path, const std::string& content) {
    TempFile tmp(path);
    writeTemp(tmp, content);
    tmp.renameOver();
}

void writeNewFileAtomically(const std::string& path, const std::string& content) {
    TempFile tmp(path);
    writeTemp(tmp, content);
    tmp.linkNew();
}

void writeBytesAtomically(const std::string& path,
                          const std::function<void(const ByteSink&)>& write) {
    TempFile tmp(path);
    int err = 0;
    std::FILE* f = tmp.file();
    const ByteSink sink = [&](const void* data, size_t n) -> size_t {
        if (err == 0 && std::fwrite(data, 1, n, f) != n) err = errno ? errno : EIO;
        return n;
    };
    try {
        write(sink);
    } catch (const WriteError&) {
        throw;
    } catch (const std::exception& e) {
        throw std::runtime_error("cannot write '" + path + "': " + e.what());
    }
    tmp.close(err);
    tmp.renameOver();
}

}  // namespace fewdata
