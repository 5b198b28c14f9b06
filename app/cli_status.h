// `fewdata-cli status DIR`: where a study stands, run by run, from its plan.json and its run
// folders (what a scheduler's array tasks, another terminal or the window left there).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace fewdata {

struct StatusCommand {
    std::string dir;
};

CLI::App* addStatusCommand(CLI::App& app, StatusCommand& cmd);
// 0 with the summary line and one line per planned run; 2 when DIR has no readable plan.
int runStatusCommand(const StatusCommand& cmd);

}  // namespace fewdata
