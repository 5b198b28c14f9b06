// Atomic file output: write to a temporary file beside the target, flush it to disk, then
// rename over the target, so a reader (or a crash) never sees a half-written file.
//
// The temporary file has an unpredictable name (`<name>.tmp-<random>`, the ".tmp-" is what a
// resume's cleanup looks for) and is created exclusively without following links, so a link
// planted in a shared folder under any name cannot redirect the write; a target that is itself
// a symbolic link is refused. Errors name the target, never the temporary file: a missing or
// unwritable folder, a name too long or a link there (found before anything is written) is an
// InputError; a failure while writing (a full disk) is a std::runtime_error.
#pragma once

#include <functional>
#include <string>

namespace fewdata {

// Writes `content` to `path` atomically.
void writeFileAtomically(const std::string& path, const std::string& content);

// As writeFileAtomically, but never replaces an existing file: the complete temporary file is
// hard-linked to `path`, which fails if `path` exists (no check-then-write race). Throws
// InputError naming the path when it exists (a link of that name included, even a dangling one).
void writeNewFileAtomically(const std::string& path, const std::string& content);

// For writers that push bytes through a function (LibTorch's OutputArchive::save_to): `write`
// gets a sink into the temporary file, which is then synced and renamed to `path`. The sink
// always reports every byte taken: LibTorch's zip writer throws from a destructor on a short
// count (a full disk), which ends the process; the error is raised here instead, naming `path`.
using ByteSink = std::function<size_t(const void*, size_t)>;
void writeBytesAtomically(const std::string& path,
                          const std::function<void(const ByteSink&)>& write);

// Whether a file name is one of the temporary files above: what a write that was killed
// leaves, removed when its folder is resumed or set aside.
bool isTemporaryFileName(const std::string& fileName);

// InputError naming `path` when a component is longer than the system's NAME_MAX or the
// whole longer than PATH_MAX: callers check before they create any folder on the way.
void checkPathLength(const std::string& path);

// What writeNewFileAtomically would refuse, checked before the work whose result it writes:
// the name's length, its folder missing or not a folder, and anything (a link too) already
// called `path`. InputError naming the path or its folder.
void checkNewFileTarget(const std::string& path);

}  // namespace fewdata
