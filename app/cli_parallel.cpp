#include "cli_parallel.h"

#include "child_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

extern char** environ;

namespace fewdata {
namespace {

// A port the kernel says is free now, on the loopback (rank 0's store binds it a moment later).
int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = 0;
    if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0) ::close(fd);
    return port;
}

std::string endText(int status) {
    if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return std::string("was ended by signal ") + std::to_string(WTERMSIG(status)) + " (" +
               strsignal(WTERMSIG(status)) + ")";
    return "ended";
}

}  // namespace

void followLauncher() {
    const char* launcher = std::getenv("FEWDATA_LAUNCHER");
    if (!launcher || !*launcher) return;
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    // The launcher may have gone before the line above: then this rank has been re-parented.
    if (std::to_string(::getppid()) != launcher) ::raise(SIGTERM);
}

int launchRanks(const std::vector<std::string>& argv, int nproc, const std::atomic<bool>& cancel) {
    std::string self;
    try {
        self = selfExecutable();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: cannot start the ranks: %s\n", e.what());
        return 3;
    }
    const int port = freePort();
    if (port == 0) {
        std::fprintf(stderr, "error: cannot start the ranks: no free port on 127.0.0.1\n");
        return 3;
    }
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
        const std::string v = *e;
        // The launcher's own place in a job (srun, torchrun) is not the ranks'.
        if (v.rfind("RANK=", 0) == 0 || v.rfind("WORLD_SIZE=", 0) == 0 ||
            v.rfind("MASTER_ADDR=", 0) == 0 || v.rfind("MASTER_PORT=", 0) == 0 ||
            v.rfind("SLURM_STEP_NUM_TASKS=", 0) == 0)
            continue;
        env.push_back(v);
    }
    std::vector<pid_t> pids(size_t(nproc), -1);
    for (int r = 0; r < nproc; ++r) {
        std::vector<std::string> e = env;
        e.push_back("RANK=" + std::to_string(r));
        e.push_back("WORLD_SIZE=" + std::to_string(nproc));
        e.push_back("MASTER_ADDR=127.0.0.1");
        e.push_back("MASTER_PORT=" + std::to_string(port));
        e.push_back("FEWDATA_LAUNCHER=" + std::to_string(::getpid()));
        std::vector<char*> args{const_cast<char*>(self.c_str())};
        for (size_t i = 1; i < argv.size(); ++i) args.push_back(const_cast<char*>(argv[i].c_str()));
        args.push_back(nullptr);
        std::vector<char*> envp;
        for (auto& v : e) envp.push_back(v.data());
        envp.push_back(nullptr);
        if (posix_spawn(&pids[size_t(r)], self.c_str(), nullptr, nullptr, args.data(),
                        envp.data()) != 0) {
            std::fprintf(stderr, "error: cannot start rank %d: %s\n", r, std::strerror(errno));
            for (pid_t p : pids)
                if (p > 0) ::kill(p, SIGTERM);
            pids[size_t(r)] = -1;
            break;
        }
    }
    std::vector<int> status(size_t(nproc), -1);
    int left = 0;
    for (pid_t p : pids) left += p > 0;
    bool stopping = false, forwarded = false;
    int firstBad = -1;
    while (left > 0) {
        if (cancel && !forwarded) {
            for (size_t r = 0; r < pids.size(); ++r)
                if (status[r] < 0 && pids[r] > 0) ::kill(pids[r], SIGTERM);
            forwarded = true;
        }
        // Every rank that has ended by now: a rank that dies takes the others' collectives
        // down with it, and whichever waitpid returns first, the one a signal ended is the
        // cause to name, not a rank that exited on the broken connection it left.
        std::vector<std::pair<size_t, int>> ended;
        int st = 0;
        for (pid_t done; (done = ::waitpid(-1, &st, WNOHANG)) > 0;)
            for (size_t r = 0; r < pids.size(); ++r)
                if (pids[r] == done) ended.emplace_back(r, st);
        if (ended.empty()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            continue;
        }
        std::stable_sort(ended.begin(), ended.end(), [](const auto& a, const auto& b) {
            return WIFSIGNALED(a.second) && !WIFSIGNALED(b.second);
        });
        for (const auto& [r, how] : ended) {
            status[r] = how;
            --left;
            const bool good = WIFEXITED(how) && WEXITSTATUS(how) == 0;
            const bool cancelled = WIFEXITED(how) && WEXITSTATUS(how) == 4;
            if (!good && !(cancelled && cancel) && firstBad < 0) {
                firstBad = int(r);
                std::fprintf(stderr, "error: rank %zu of %d %s; stopping the other ranks\n", r,
                             nproc, endText(how).c_str());
            }
            // One rank gone: the others cannot finish the run without it.
            if (!good && !stopping) {
                stopping = true;
                for (size_t o = 0; o < pids.size(); ++o)
                    if (status[o] < 0 && pids[o] > 0) ::kill(pids[o], SIGTERM);
            }
        }
    }
    if (pids[0] <= 0) return 3;
    if (firstBad >= 0) return 3;
    return WIFEXITED(status[0]) ? WEXITSTATUS(status[0]) : 3;
}

}  // namespace fewdata
