#pragma once
// Runs a scenario's replications on a pool of threads and writes the run folder:
// timeseries.csv, events.csv, summary.csv, regions.csv / cell_sizes.csv when asked, run.json.
// Replications are independent (each owns its state and streams), and their rows are written in
// replication order, so outputs are byte-identical whatever the thread count.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "resurgence/output/recorder.hpp"
#include "resurgence/scenario/spec.hpp"

namespace resurgence {

// Every file a run can write into its folder (run.json last). A new run removes all of them
// first, so that no file of an earlier run in the same folder passes for part of the new one.
// plot.py's outputs (plots/, report.html) are rewritten by the plotting step.
inline constexpr const char* kRunOutputFiles[] = {"timeseries.csv", "events.csv", "regions.csv",
                                                  "cell_sizes.csv", "summary.csv", "run.json",
                                                  "report.html"};

struct RunOptions {
    int threads = 1;
    std::filesystem::path out_dir;                      // empty = spec.outputs.dir
    std::function<void(int done, int total)> progress;  // called from worker threads, serialised
};

struct RunReport {
    std::filesystem::path dir;
    int replications = 0;
    double seconds = 0;
};

RunReport run_scenario(const ScenarioSpec& spec, const RunOptions& options);

// Runs one replication in memory (tests, sweeps, calibration).
ReplicationResult run_replication(const ScenarioSpec& spec, int replication);

// The CSV header lines, from the registries.
std::string timeseries_header(const ScenarioSpec& spec);
std::string events_header();
std::string summary_header();
std::string regions_header();
// run.json text for a run of `spec` (deterministic: no timings, no thread count).
std::string run_json(const ScenarioSpec& spec);

// Thread count to use for `requested` (0 = all hardware threads).
int resolve_threads(int requested) noexcept;

}  // namespace resurgence
