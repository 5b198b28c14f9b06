#include "core/train/data_parallel.h"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <stdexcept>

#include "core/base/errors.h"

#ifdef USE_C10D_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#endif

namespace fewdata {
namespace {

int intVariable(const std::function<const char*(const char*)>& variable, const char* name,
                int low, int high) {
    const char* text = variable(name);
    const std::string value = text ? text : "";
    size_t used = 0;
    long long n = 0;
    try {
        n = std::stoll(value, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (value.empty() || used != value.size() || n < low || n > high)
        throw InputError(std::string("environment variable ") + name + "='" + value +
                         "' is not a whole number in " + std::to_string(low) + ".." +
                         std::to_string(high));
    return int(n);
}

}  // namespace

std::string firstHost(const std::string& nodelist) {
    const std::string first = nodelist.substr(0, nodelist.find(','));
    const size_t open = nodelist.find('[');
    if (open == std::string::npos || open > first.size()) return first;
    // "node[03-05,7]": the prefix and the range's first number, its zeros kept.
    const size_t end = nodelist.find_first_of("-,]", open + 1);
    return nodelist.substr(0, open) + nodelist.substr(open + 1, end - open - 1);
}

ParallelEnv parallelEnvFrom(const std::function<const char*(const char*)>& variable) {
    ParallelEnv env;
    auto has = [&](const char* name) { return variable(name) && *variable(name); };
    if (has("WORLD_SIZE") || has("RANK")) {
        env.source = "torchrun";
        env.worldSize = intVariable(variable, "WORLD_SIZE", 1, 65536);
        env.rank = intVariable(variable, "RANK", 0, env.worldSize - 1);
        if (has("MASTER_ADDR")) env.masterAddr = variable("MASTER_ADDR");
        if (has("MASTER_PORT")) env.masterPort = intVariable(variable, "MASTER_PORT", 1, 65535);
        return env;
    }
    if (has("SLURM_STEP_NUM_TASKS") && has("SLURM_PROCID") && has("SLURM_STEP_NODELIST")) {
        const int tasks = intVariable(variable, "SLURM_STEP_NUM_TASKS", 1, 65536);
        if (tasks < 2) return env;
        env.source = "slurm";
        env.worldSize = tasks;
        env.rank = intVariable(variable, "SLURM_PROCID", 0, tasks - 1);
        env.masterAddr = has("MASTER_ADDR") ? std::string(variable("MASTER_ADDR"))
                                            : firstHost(variable("SLURM_STEP_NODELIST"));
        env.masterPort = has("MASTER_PORT")
                             ? intVariable(variable, "MASTER_PORT", 1, 65535)
                             : 20000 + intVariable(variable, "SLURM_JOB_ID", 0, 1 << 30) % 20000;
    }
    return env;
}

#ifdef USE_C10D_GLOO

struct DataParallel::Group {
    c10::intrusive_ptr<c10d::TCPStore> store;
    c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
};

DataParallel::DataParallel(const ParallelEnv& env, std::chrono::milliseconds timeout)
    : env_(env), timeout_(timeout), group_(std::make_unique<Group>()) {
    const std::string where = env.masterAddr + ":" + std::to_string(env.masterPort);
    const std::string waited = std::to_string(timeout.count() / 1000.0) + " s";
    try {
        c10d::TCPStoreOptions o;
        o.port = uint16_t(env.masterPort);
        o.isServer = env.rank == 0;
        o.numWorkers = size_t(env.worldSize);
        o.waitWorkers = true;
        o.timeout = timeout;
        group_->store = c10::make_intrusive<c10d::TCPStore>(env.masterAddr, o);
        auto options = c10d::ProcessGroupGloo::Options::create(timeout);
        // Each rank binds its own address: the loopback when the ranks meet there (one
        // machine, the tests), the interface GLOO_SOCKET_IFNAME names, else this host's.
        const bool loopback = env.masterAddr == "localhost" || env.masterAddr.rfind("127.", 0) == 0;
        const char* ifname = std::getenv("GLOO_SOCKET_IFNAME");
        options->devices.push_back(
            loopback ? c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1")
            : ifname && *ifname ? c10d::ProcessGroupGloo::createDeviceForInterface(ifname)
                                : c10d::ProcessGroupGloo::createDefaultDevice());
        group_->gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(group_->store, env.rank,
                                                                   env.worldSize, options);
    } catch (const std::exception& e) {
        throw std::runtime_error("data-parallel rank " + std::to_string(env.rank) + " of " +
                                 std::to_string(env.worldSize) + ": the ranks did not meet at " +
                                 where + " within " + waited + " (" +
                                 withoutBacktrace(e.what()) + ")");
    }
}

DataParallel::~DataParallel() = default;

namespace {

void waitFor(const c10::intrusive_ptr<c10d::Work>& work, int rank, const char* what) {
    try {
        work->wait();
    } catch (const std::exception& e) {
        throw std::runtime_error("data-parallel rank " + std::to_string(rank) + ": the " + what +
                                 " with the other ranks failed, a rank died, hung or cannot be "
                                 "reached (" + withoutBacktrace(e.what()) + ")");
    }
}

// `tensors` flattened into one tensor, `collective` run on it in place, and each tensor's
// part copied back: one collective for many small tensors.
void throughOneFlat(const std::vector<torch::Tensor>& tensors,
                    const std::function<void(std::vector<at::Tensor>&)>& collective) {
    std::vector<torch::Tensor> flats;
    for (const torch::Tensor& t : tensors) flats.push_back(t.detach().reshape({-1}));
    std::vector<at::Tensor> flat{torch::cat(flats)};
    collective(flat);
    int64_t offset = 0;
    for (const torch::Tensor& t : tensors) {
        t.detach().copy_(flat[0].narrow(0, offset, t.numel()).view(t.sizes()));
        offset += t.numel();
    }
}

}  // namespace

void DataParallel::broadcast(const std::vector<torch::Tensor>& tensors) {
    torch::NoGradGuard noGrad;
    // The tensors of one dtype and device, flattened into one collective: a ResNet's BatchNorm
    // statistics, broadcast before every evaluation, are some sixty tensors of two dtypes.
    std::vector<std::vector<size_t>> groups;
    for (size_t i = 0; i < tensors.size(); ++i) {
        auto same = [&](const std::vector<size_t>& g) {
            return tensors[g[0]].scalar_type() == tensors[i].scalar_type() &&
                   tensors[g[0]].device() == tensors[i].device();
        };
        const auto it = std::find_if(groups.begin(), groups.end(), same);
        if (it == groups.end())
            groups.push_back({i});
        else
            it->push_back(i);
    }
    for (const std::vector<size_t>& group : groups) {
        std::vector<torch::Tensor> members;
        for (size_t k : group) members.push_back(tensors[k]);
        throughOneFlat(members, [&](std::vector<at::Tensor>& flat) {
            waitFor(group_->gloo->broadcast(flat), env_.rank, "broadcast");
        });
    }
}

void DataParallel::reduceGradients(const std::vector<torch::Tensor>& parameters, double weight,
                                   int64_t bucketBytes) {
    std::vector<torch::Tensor> grads;
    for (const torch::Tensor& p : parameters)
        if (p.grad().defined()) grads.push_back(p.grad());
    // Buckets of consecutive gradients of one dtype, flattened into one tensor each: a few
    // collectives per step instead of one per parameter.
    size_t i = 0;
    while (i < grads.size()) {
        std::vector<torch::Tensor> bucket{grads[i]};
        int64_t bytes = grads[i].numel() * int64_t(grads[i].element_size());
        size_t j = i + 1;
        while (j < grads.size() && grads[j].scalar_type() == grads[i].scalar_type() &&
               bytes + grads[j].numel() * int64_t(grads[j].element_size()) <= bucketBytes) {
            bytes += grads[j].numel() * int64_t(grads[j].element_size());
            bucket.push_back(grads[j++]);
        }
        throughOneFlat(bucket, [&](std::vector<at::Tensor>& flat) {
            flat[0].mul_(weight);
            waitFor(group_->gloo->allreduce(flat), env_.rank, "gradient sum");
        });
        i = j;
    }
}

std::vector<double> DataParallel::sum(const std::vector<double>& values) {
    std::vector<at::Tensor> t{torch::tensor(values, torch::kFloat64)};
    waitFor(group_->gloo->allreduce(t), env_.rank, "sum");
    const auto a = t[0].accessor<double, 1>();
    std::vector<double> out(values.size());
    for (size_t k = 0; k < values.size(); ++k) out[k] = a[int64_t(k)];
    return out;
}

torch::Tensor DataParallel::gatherRows(const torch::Tensor& local, int64_t n) {
    TORCH_CHECK(local.device().is_cpu(), "gatherRows takes CPU tensors, got one on ",
                local.device().str());
    // Gloo gathers tensors of one shape: each rank's rows padded to rank 0's count (the most).
    const int64_t most = rowsOf(n, 0, env_.worldSize).second;
    std::vector<int64_t> shape = local.sizes().vec();
    shape[0] = most;
    std::vector<at::Tensor> in{torch::zeros(shape, local.options())};
    in[0].narrow(0, 0, local.size(0)).copy_(local);
    std::vector<std::vector<at::Tensor>> out(1);
    for (int r = 0; r < env_.worldSize; ++r) out[0].push_back(torch::empty_like(in[0]));
    waitFor(group_->gloo->allgather(out, in), env_.rank, "gather");
    std::vector<torch::Tensor> parts;
    for (int r = 0; r < env_.worldSize; ++r) {
        const auto [begin, end] = rowsOf(n, r, env_.worldSize);
        parts.push_back(out[0][size_t(r)].narrow(0, 0, end - begin));
    }
    return torch::cat(parts);
}

#else

struct DataParallel::Group {};

DataParallel::DataParallel(const ParallelEnv& env, std::chrono::milliseconds timeout)
    : env_(env), timeout_(timeout) {
    throw InputError("this LibTorch was built without c10d's Gloo: one process only");
}
DataParallel::~DataParallel() = default;
void DataParallel::broadcast(const std::vector<torch::Tensor>&) {}
void DataParallel::reduceGradients(const std::vector<torch::Tensor>&, double, int64_t) {}
std::vector<double> DataParallel::sum(const std::vector<double>& values) { return values; }
torch::Tensor DataParallel::gatherRows(const torch::Tensor& local, int64_t) {
    return local;
}

#endif

std::pair<int64_t, int64_t> DataParallel::rowsOf(int64_t n, int rank, int worldSize) {
    const int64_t w = worldSize, r = rank;
    const int64_t base = n / w, extra = n % w;
    const int64_t begin = r * base + std::min(r, extra);
    return {begin, begin + base + (r < extra ? 1 : 0)};
}

}  // namespace fewdata
