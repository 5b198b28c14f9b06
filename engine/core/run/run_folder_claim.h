// The claim marker's helpers, shared by run_folder.cpp (which needs LibTorch) and
// run_folder_claim.cpp (which does not, so the parsers' sanitizer build links it).
#pragma once

#include <string>

namespace fewdata::claim_marker {

// Locks `fd` (LOCK_EX), retrying for an instant past another process's probe; false: held.
bool lockWithRetries(int fd);
// The marker at `path` (relative to `dirFd`), opened without blocking and only as a plain
// file; -1 with errno set (EINVAL: not a plain file).
int openMarker(int dirFd, const char* path, int flags);
// Whether `dir` holds nothing but the claim marker.
bool onlyMarker(const std::string& dir);
std::string busyText(const std::string& dir);

}  // namespace fewdata::claim_marker
