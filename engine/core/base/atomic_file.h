// Atomic file output: write to a temporary file beside the target, flush it to disk, then
// rename over the target, so a reader (or a crash) never sees a half-written file.
#pragma once

#include <functional>
#include <string>

namespace fewdata {

// Writes `content` to `path` atomically. Throws std::runtime_error naming the path on failure.
void writeFileAtomically(const std::string& path, const std::string& content);

// As writeFileAtomically, but never replaces an existing file: the complete temporary file is
// hard-linked to `path`, which fails if `path` exists (no check-then-write race). Throws
// InputError naming the path when it exists.
void writeNewFileAtomically(const std::string& path, const std::string& content);

// For writers that push bytes through a function (LibTorch's OutputArchive::save_to): `write`
// gets a sink into the temporary file, which is then synced and renamed to `path`. The sink
// always reports every byte taken: LibTorch's zip writer throws from a destructor on a short
// count (a full disk), which ends the process; the error is raised here instead, naming `path`.
using ByteSink = std::function<size_t(const void*, size_t)>;
void writeBytesAtomically(const std::string& path,
                          const std::function<void(const ByteSink&)>& write);

}  // namespace fewdata
