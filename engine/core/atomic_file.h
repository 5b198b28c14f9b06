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

// For writers that need a file name (torch::save): `write` fills the temporary path given to it,
// which is then synced and renamed to `path`.
void writeViaTempFile(const std::string& path,
                      const std::function<void(const std::string&)>& write);

}  // namespace fewdata
