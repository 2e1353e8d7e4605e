#pragma once
// Fixed benchmark workloads (issue 8; docs/performance.md): `resurgence bench`.
//
// Each workload is built from scenario text in code (load_scenario_text), so the bench needs no
// files except the theatre scenarios. A workload is run from a fresh state at least `repeats`
// times and until its timed parts add up to `min_seconds` (at most kMaxRepeats runs); the
// reported time is the median of the timed part (the daily loop: Simulation::step() × steps;
// building the state is reported apart as setup). The time floor matters on shared virtual
// machines, whose speed swings by up to 1.4x within a second: a median over 5 runs of 15 ms
// samples 75 ms of it, one over a second of runs is steadier (docs/performance.md).
// Peak memory is the growth of the resident set during the workload: /proc/self/status VmHWM
// after the repeats minus VmRSS before, the high-water mark having been reset through
// /proc/self/clear_refs; where that is not possible, getrusage's ru_maxrss (the whole process's
// peak), and the result says which.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace resurgence::bench {

// The most runs of one workload that min_seconds can ask for (the --repeats bound too).
inline constexpr int kMaxRepeats = 1000;

// A run counts as on an unshared core when the probes before and after it both issued at least
// this many independent adds a cycle (of the best clock the process has probed). Alone, the Zen 3
// EPYC of 7 December 2026 issued 3.55 (11.5 adds a ns at 3.24 GHz, four chains of adds on four
// integer ALUs); shared with a second busy hardware thread, 1.5-3.0, about half
// (docs/performance.md, "7 December 2026, day"). The Xeon (Emerald Rapids) of 7 December 2026,
// night, issued 3.5 in 197 of 300 probes (2.97-2.99 GHz), 2.6-3.4 in most of the rest. A
// processor that issues fewer alone reports no unshared runs: the split can under-count, not
// over-count.
inline constexpr double kUnsharedAddsPerCycle = 3.2;

struct Options {
    int repeats = 5;  // at least this many runs of each workload
    // ... and more, until the timed parts add up to this many seconds (0: exactly `repeats`).
    double min_seconds = 1.0;
    // Shrinks every workload (grids, populations, horizons) to a smoke test of the machinery.
    bool tiny = false;
    // Workload names to run, in the order of workload_names(); empty = all default workloads.
    std::vector<std::string> only;
    // Where the theatre scenarios live: baseline_2019.yaml, else examples/iraq_syria_cells.yaml.
    // Empty: ./scenarios, then the source tree's scenarios/.
    std::filesystem::path scenarios_dir;
    int sweep_threads = 0;  // 0 = all hardware threads
};

// One timed run of a workload, with the probe of the core taken just before it.
struct RunSample {
    double seconds = 0;
    double cpu_seconds = 0;
    double clock_ghz = 0;
    double alu_per_ns = 0;
};

struct Result {
    std::string workload;
    std::string scenario;  // scenario name, or the file the theatre ran
    std::int64_t agents = 0;  // agents stepped per day (citizens + cops; civilians; per run)
    std::int64_t steps = 0;   // days per run
    std::int64_t runs = 1;    // runs per repeat (the sweep's plans)
    int repeats = 0;  // runs made: >= Options::repeats, more when min_seconds asked for them
    int threads = 1;
    double seconds = 0;        // median of the timed part over the repeats
    double seconds_min = 0;
    double seconds_max = 0;
    // Median CPU time of the timed part: the running thread's (the sweep: the process's, all
    // threads). Below `seconds` when other processes share the cores.
    double cpu_seconds = 0;
    double setup_seconds = 0;  // median: building the state, not in `seconds`
    double agent_steps_per_second = 0;  // runs * agents * steps / seconds
    double runs_per_second = 0;         // runs / (seconds + setup_seconds)
    double peak_mib = 0;
    double bytes_per_agent = 0;  // peak_mib over agents (per-agent memory at scale)
    std::string memory;          // how peak_mib was measured
    double load_average = -1;    // 1-minute load average when the workload started (-1: unknown)
    // The core, probed before and after each timed run (bench.cpp, probe_core; a run keeps the
    // lower of its two probes): its clock in GHz (dependent adds per ns; the best probe of the
    // process, since sharing and interruptions only slow a probe) and the independent adds it
    // issued per ns (median over the runs, and the extremes). A shared physical core (SMT on the
    // host) shows in alu_per_ns, barely in the clock (docs/performance.md).
    double clock_ghz = 0;
    double alu_per_ns = 0;
    double alu_per_ns_min = 0;
    double alu_per_ns_max = 0;
    // cpu_seconds x clock_ghz over agents x steps: the work an agent-step costs, in core cycles,
    // comparable across processors of different clocks. NaN for the sweep (many threads).
    double cycles_per_agent_step = std::numeric_limits<double>::quiet_NaN();
    // The runs whose probes found the core unshared (kUnsharedAddsPerCycle), and their median
    // timed part and rate (0 when there were none): what the engine does with a core to itself.
    // The targets are judged on `seconds`, over all runs.
    int unshared_runs = 0;
    double seconds_unshared = 0;
    double agent_steps_per_second_unshared = 0;
    std::string note;            // e.g. the theatre fallback
    std::vector<RunSample> per_run;  // every timed run, in order
};

// Every workload the bench knows, in run order. The default set is the list; the
// scaling series (grid_1e3 … mixed_1e7: the same model at 10^3 … 10^7 agents; then
// memory_latency and memory_parallel, what a random line costs on this machine, one load at a
// time and many in flight, to read the series by) runs only when named or with `scaling`; the
// growth series (grid_still_1e3 … grid_patrol_1e7: the grid of the scaling series taken apart,
// part by part, to show which part's cost grows with the agents) only when named or with
// `growth`.
std::vector<std::string> workload_names(bool include_series = true);
std::vector<std::string> default_workloads();
std::vector<std::string> scaling_workloads();
std::vector<std::string> growth_workloads();

// Runs the selected workloads in order and calls `done` after each. Throws InputError for an
// unknown name, a repeat count outside [1, kMaxRepeats] or a negative or non-finite
// min_seconds.
std::vector<Result> run(const Options& options, const std::function<void(const Result&)>& done = {});

// One JSON object on one line (no trailing newline); with `per_run`, a "per_run" array of
// every timed run's seconds and probe.
std::string to_json(const Result& r, bool per_run = false);
// An aligned text table: header and separator, then one line per result.
std::string table_header();
std::string table_row(const Result& r);

}  // namespace resurgence::bench
