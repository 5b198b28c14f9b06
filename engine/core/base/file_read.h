// Reading input files that may be hostile: a FIFO or device where a file is expected must not
// block the program, a directory must be named rather than reported as "Is a directory", and a
// JSON document nested deeper than any real one must be refused before anything walks it
// (nlohmann's dump and our error messages recurse).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace fewdata {

// Deeper nesting than this is refused: our configs and run files are 3 levels deep at most.
constexpr int kMaxJsonDepth = 64;
// A run file, config or CSV larger than this is not one the workbench wrote.
constexpr size_t kMaxTextFileBytes = size_t(1) << 30;

// Opens `path` without blocking (O_NONBLOCK, so a FIFO never waits for a writer) and checks
// that it is a regular file (links are followed). Returns the open descriptor, O_CLOEXEC;
// throws InputError naming the path: missing, unreadable, a folder, a FIFO or device.
int openRegularFile(const std::string& path);

// Throws as openRegularFile does; for readers that open the file themselves (LibTorch's).
void requireRegularFile(const std::string& path);

// The whole content of a regular file; InputError naming the path, also when it is larger
// than `maxBytes`.
std::string readRegularFile(const std::string& path, size_t maxBytes = kMaxTextFileBytes);

// Parses JSON, refusing nesting deeper than kMaxJsonDepth; InputError naming `source`.
nlohmann::json parseJsonText(const std::string& text, const std::string& source);

// readRegularFile + parseJsonText.
nlohmann::json readJsonFile(const std::string& path);

}  // namespace fewdata
