// `fewdata-cli train --nproc N`: the N ranks of one data-parallel run started on this machine,
// each this program again with torchrun's variables (RANK, WORLD_SIZE, MASTER_ADDR 127.0.0.1,
// a free MASTER_PORT), and watched: when one ends badly the others are stopped, and the
// message names the rank.
#pragma once

#include <atomic>
#include <string>
#include <vector>

namespace fewdata {

// A rank started so stops (SIGTERM) when its launcher goes, even by SIGKILL.
void followLauncher();
// `argv`: this process's arguments without --nproc. Returns the run's exit code: rank 0's
// when every rank ended well, else 3 (4 when cancelled).
int launchRanks(const std::vector<std::string>& argv, int nproc, const std::atomic<bool>& cancel);

}  // namespace fewdata
