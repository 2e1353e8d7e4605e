#pragma once
// Sweeps across machines with MPI (optional at build time: RESURGENCE_HAVE_MPI).
//
// MPI is initialised only when the process was started by an MPI launcher (mpirun / mpiexec /
// srun set OMPI_COMM_WORLD_SIZE, PMI_SIZE or PMIX_RANK), so the same binary runs normally
// without one. RESURGENCE_MPI=off in the environment keeps MPI off even under a launcher;
// RESURGENCE_MPI=on initialises it without one (a singleton run).
//
// Protocol (rank 0 coordinates and writes; ranks 1..N-1 run plans one at a time):
//   worker -> 0  kReady            first message
//   0 -> worker  kPlan <uint64>    a plan to run          | kStop: no more work, return
//   worker -> 0  kResult <line>    the plan's journal record, then waits for the next kPlan
//                kError <text>     the plan failed under on_failure: stop
// Plans are handed out in order as workers ask, so fast and slow ranks share the load.
#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <vector>

namespace resurgence::sweep::mpi {

bool compiled() noexcept;  // built with MPI
bool launched() noexcept;  // the environment asks for MPI (see above)

class Session {
public:
    Session();   // MPI_Init_thread(FUNNELED) when compiled() && launched()
    ~Session();  // MPI_Finalize
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    [[nodiscard]] bool active() const noexcept { return active_; }
    [[nodiscard]] int rank() const noexcept { return rank_; }
    [[nodiscard]] int size() const noexcept { return size_; }

    // Collective: whether `ok` holds on every rank, and on rank 0 (inactive: both are `ok`).
    struct Agreement {
        bool all;
        bool root;
    };
    [[nodiscard]] Agreement agree(bool ok) const;
    // Collective: returns when every rank has called it (inactive: at once).
    void barrier() const;

    // Rank 0. Hands out `todo` to the worker ranks and passes each result line to `on_line`
    // (an exception there stops the hand-out). Returns when every worker has been stopped;
    // rethrows the first error (a worker's failure or on_line's).
    void coordinate(const std::vector<std::uint64_t>& todo,
                    const std::function<void(std::string&& line)>& on_line) const;
    // Ranks > 0. Runs the plans rank 0 hands out until told to stop. `run_plan` returns the
    // journal line or throws (InputError / RuntimeFailure travel to rank 0 with their text).
    void work(const std::function<std::string(std::uint64_t plan)>& run_plan) const;

private:
    bool active_ = false;
    int rank_ = 0;
    int size_ = 1;
};

}  // namespace resurgence::sweep::mpi
