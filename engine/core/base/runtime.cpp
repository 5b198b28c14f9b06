#include "core/base/runtime.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <thread>

#include "core/base/errors.h"

// OpenBLAS keeps its own thread pool beside LibTorch's. Present only when the BLAS in use is
// OpenBLAS, hence weak.
extern "C" void openblas_set_num_threads(int) __attribute__((weak));
// LibTorch's OpenMP runtime, whichever it loaded; ATen asks the calling thread's own setting.
extern "C" void omp_set_num_threads(int) __attribute__((weak));

namespace fewdata {

torch::Device resolveDevice(const std::string& name) {
    const bool haveCuda = torch::cuda::is_available();
    if (name == "cpu") return torch::kCPU;
    if (name == "cuda") {
        if (!haveCuda)
            throw InputError(
                "device 'cuda' was asked for, but LibTorch sees no CUDA device (this build is "
                "CPU-only or no GPU is present); use --device cpu or auto");
        return torch::Device(torch::kCUDA, 0);
    }
    if (name == "auto")
        return haveCuda ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
    throw InputError("unknown device '" + name + "'; allowed: auto, cpu, cuda");
}

int applyThreadCount(int requested) {
    int n = requested;
    if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    torch::set_num_threads(n);
    // A 1-thread run beside another process must not have BLAS spread over every core: small
    // matrix products (the feature methods) ran twice as slow that way here.
    if (openblas_set_num_threads) openblas_set_num_threads(n);
    return n;
}

ScopedThreadCount::ScopedThreadCount(int threads) : previous_(torch::get_num_threads()) {
    applyThreadCount(threads);
}

ScopedThreadCount::~ScopedThreadCount() {
    applyThreadCount(previous_);
}

void runAsHelperThread() {
    // ATen sets a new thread's count on its first parallel call; after that ours stays.
    (void)at::get_num_threads();
    if (omp_set_num_threads) omp_set_num_threads(1);
#ifdef SYS_gettid
    // Nice is per thread on Linux: the scheduler then runs this one in the compute threads'
    // gaps rather than taking turns with them.
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
#endif
}

std::string describeDevice(const torch::Device& device, int threads) {
    if (device.is_cuda()) return "cuda:" + std::to_string(device.index() < 0 ? 0 : device.index());
    return "cpu (" + std::to_string(threads) + " threads)";
}

}  // namespace fewdata
