// One run on several processes through PyTorch's own distributed layer (c10d): the processes
// meet at a TCPStore that rank 0 serves, and ProcessGroupGloo carries the collectives (on the
// CPU; a CUDA build adds NCCL). The run's global batch keeps its meaning: every rank forms the
// same batch from the run's batch stream, trains on its rows, and the gradients are summed with
// each rank's weighted by its share of the rows, which is the gradient of the global batch's
// mean loss (what one process computes), BatchNorm statistics aside (per rank, as torch DDP).
#pragma once

#include <torch/torch.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace fewdata {

// Where this process stands: rank among worldSize, and where the ranks meet.
struct ParallelEnv {
    int rank = 0;
    int worldSize = 1;
    std::string masterAddr = "127.0.0.1";
    int masterPort = 29500;
    std::string source;  // which variables said so ("torchrun", "slurm", "" for none)
};

// torchrun's RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT; else, inside an srun step with more
// than one task, SLURM_PROCID, SLURM_STEP_NUM_TASKS and the first host of SLURM_STEP_NODELIST
// (MASTER_ADDR and MASTER_PORT where set; else that host and 20000 + the job id mod 20000, the
// same for every task); else one process.
// InputError naming the variable whose value does not parse or fit.
ParallelEnv parallelEnvFrom(const std::function<const char*(const char*)>& variable);
// The first host of a Slurm node list: "node[03-05,7],gpu1" -> "node03".
std::string firstHost(const std::string& nodelist);

class DataParallel {
public:
    // Joins the group; rank 0 serves the store. std::runtime_error naming the address and the
    // time waited when the other ranks do not come within `timeout` (which also bounds every
    // collective: a rank that dies or hangs ends the others' wait).
    DataParallel(const ParallelEnv& env, std::chrono::milliseconds timeout);
    ~DataParallel();
    DataParallel(const DataParallel&) = delete;
    DataParallel& operator=(const DataParallel&) = delete;

    int rank() const { return env_.rank; }
    int worldSize() const { return env_.worldSize; }
    // The rows [begin, end) of a global batch of n that this rank trains on; the first n %
    // worldSize ranks take one row more.
    std::pair<int64_t, int64_t> rows(int64_t n) const { return rowsOf(n, rank(), worldSize()); }
    static std::pair<int64_t, int64_t> rowsOf(int64_t n, int rank, int worldSize);
    // Rank 0's values in every rank (the initial parameters and buffers).
    void broadcast(const std::vector<torch::Tensor>& tensors);
    // Each defined gradient of `parameters` times `weight` (this rank's rows / the global
    // batch's), summed over ranks, in buckets of about `bucketBytes`.
    void reduceGradients(const std::vector<torch::Tensor>& parameters, double weight,
                         int64_t bucketBytes = 8 << 20);
    // The sum over ranks of each value (metrics, a cancel vote).
    std::vector<double> sum(const std::vector<double>& values);
    // The rows of a split of n that the ranks hold in turn (`local` being this rank's
    // rows(n), a CPU tensor), put together in rank order, in every rank.
    torch::Tensor gatherRows(const torch::Tensor& local, int64_t n);

private:
    struct Group;
    ParallelEnv env_;
    std::chrono::milliseconds timeout_;
    std::unique_ptr<Group> group_;
};

}  // namespace fewdata
