// Runs a program of the PATH (sbatch, squeue, scancel) without a shell, so no path or argument
// is ever reinterpreted, and returns what it printed.
#pragma once

#include <string>
#include <vector>

namespace fewdata {

struct ProgramResult {
    int exitCode = -1;  // -1: it could not be started (err says why) or ended by a signal
    std::string out;
    std::string err;
};

ProgramResult runProgram(const std::vector<std::string>& argv);
// This program's own file (/proc/self/exe): what array tasks and data-parallel ranks run.
// std::runtime_error when it cannot be read.
std::string selfExecutable();
// Whether `program` is an executable file in a folder of $PATH.
bool onPath(const std::string& program);

}  // namespace fewdata
