// A figure of this process from /proc/self/status: `key` is "VmRSS:", "VmHWM:" (kB, returned
// in MiB) or "Threads:" (a count); -1 where the line is missing (not Linux).
#pragma once

#include <fstream>
#include <string>

namespace fewdata::bench {

inline double procStatus(const std::string& key) {
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind(key, 0) == 0) {
            const double v = std::stod(line.substr(key.size()));
            return key.rfind("Vm", 0) == 0 ? v / 1024.0 : v;
        }
    return -1;
}

}  // namespace fewdata::bench
