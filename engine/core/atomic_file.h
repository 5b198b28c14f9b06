// Atomic file output: write to a temporary file beside the target, flush it to disk, then
// rename over the target, so a reader (or a crash) never sees a half-written file.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>

namespace fewdata {

// Writes `content` to `path` atomically. Throws std::runtime_error naming the path on failure.
void writeFileAtomically(const std::string& path, const std::string& content);

// As writeFileAtomically, but never replaces an existing file: the complete temporary file is
// hard-linked to `path`, which fails if `path` exists (no check-then-write race). Throws
// InputError naming the path when it exists.
void writeNewFileAtomically(const std::string& path, const std::string& content);

// For writers to a stream (LibTorch archives): `write` serialises into memory, then the bytes
// go out as writeFileAtomically's. Not straight to a file: LibTorch's zip writer throws from a
// destructor when the disk is full, which ends the process (std::terminate); a memory stream
// cannot fail that way, and the file write's error names the file and the reason.
void writeStreamAtomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write);

}  // namespace fewdata
