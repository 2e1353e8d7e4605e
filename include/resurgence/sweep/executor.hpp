#pragma once
// Runs a sweep's plans and writes its folder (docs/sweeps.md):
//   SWEEP_DIR/sweep.json         what the sweep is (parameters, outcomes, design, seeds, fingerprint)
//   SWEEP_DIR/design.csv         one row per design point: parameter values, unit coordinates
//   SWEEP_DIR/journal/*.log      one checked record per finished plan (the crash-safe state)
//   SWEEP_DIR/runs.csv           point,replication,seed,<parameters>,<outcomes>   (when complete)
//   SWEEP_DIR/sweep_summary.csv  point,<parameters>,<outcome>_{mean,sd,q05,q50,q95,ci_lo,ci_hi}
//   SWEEP_DIR/failures.csv       point,replication,seed,message (plans failed under on_failure: record)
// The CSVs are written from the journal in plan order, one design point at a time, so they are
// byte-identical whatever the thread count, shards, ranks, or interruptions, and memory stays
// bounded by one point's replications (plus a 16-byte index entry per plan).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "resurgence/sweep/journal.hpp"
#include "resurgence/sweep/mpi.hpp"
#include "resurgence/sweep/sweep.hpp"

namespace resurgence::sweep {

// A deterministic slice of the design points: point p belongs to shard p mod count.
struct Shard {
    int index = 0;  // 0-based
    int count = 1;
    [[nodiscard]] bool owns(std::uint64_t point) const noexcept {
        return point % static_cast<std::uint64_t>(count) == static_cast<std::uint64_t>(index);
    }
};
// "i/N" with 1 <= i <= N (as Slurm array task ids 1..N); InputError otherwise.
Shard parse_shard(std::string_view text);

struct SweepOptions {
    std::filesystem::path out_dir;  // empty: the file's `output`, else results/sweeps/<name>
    int threads = 0;                // 0 = all hardware threads
    Shard shard;
    const mpi::Session* mpi = nullptr;  // active with size > 1: rank 0 coordinates
    std::function<void(long done, long total)> progress;  // serialised
};

struct SweepReport {
    std::filesystem::path dir;
    std::uint64_t plans = 0;       // in the whole sweep
    std::uint64_t in_shard = 0;    // in this shard (= plans without --shard)
    std::uint64_t skipped = 0;     // already done when this run started
    std::uint64_t ran = 0;         // run now
    std::uint64_t failed = 0;      // recorded as failures (on_failure: record), whole sweep
    std::uint64_t done = 0;        // with a result now, whole sweep
    bool complete = false;         // outputs written
    int workers = 0;
    double seconds = 0;
};

std::filesystem::path default_output_dir(const Sweep& sweep);

// Runs the plans not yet done (of the shard), then writes the outputs when every plan of the
// sweep has a result. With options.mpi active and more than one rank, rank 0 calls this and
// the other ranks call serve_sweep().
SweepReport run_sweep(const Sweep& sweep, const SweepOptions& options);
// Ranks > 0 of an MPI sweep: run the plans rank 0 hands out.
void serve_sweep(const Sweep& sweep, const mpi::Session& session);

// What a sweep folder's sweep.json says (enough to merge and analyze).
struct SweepInfo {
    std::string fingerprint;
    std::string design;  // list, grid, lhs, sobol, morris
    std::uint64_t points = 0;
    int replications = 1;
    std::uint64_t plans = 0;
    std::vector<std::string> parameters;
    std::vector<std::string> outcomes;
    std::string version;
};
SweepInfo read_sweep_info(const std::filesystem::path& dir);

struct MergeReport {
    std::filesystem::path dir;
    std::uint64_t plans = 0, failed = 0, duplicates = 0, conflicts = 0;
};
// Joins the journals of `dirs` (shards of one sweep) and writes the outputs to `out` (default:
// the first dir). InputError when the folders hold different sweeps or some plan has no result.
MergeReport merge_sweeps(const std::vector<std::filesystem::path>& dirs,
                         const std::filesystem::path& out);

}  // namespace resurgence::sweep
