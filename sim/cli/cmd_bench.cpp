// `resurgence bench [--json [--per-run]] [--repeats N] [--min-time SECONDS] [--only NAME...] [--tiny]
// [--scenarios DIR]`
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdio>

#include "command_registry.hpp"
#include "resurgence/bench/bench.hpp"

namespace resurgence::cli {

Command bench_command() {
    return {"bench", "Time fixed workloads (Epstein grids, mixed civilians, the theatre, a sweep)",
            [](CLI::App& app, const Globals&) -> std::function<int()> {
                struct Opts {
                    bool json = false;
                    bool per_run = false;
                    bench::Options bench;
                    std::string scenarios;
                };
                auto o = std::make_shared<Opts>();
                app.add_flag("--json", o->json, "One JSON object per workload, one per line");
                app.add_flag("--per-run", o->per_run,
                             "With --json: add every timed run (seconds, the core's probe)");
                app.add_option("-n,--repeats", o->bench.repeats,
                               "Runs of each workload at least; the median is reported (default 5)")
                    ->check(CLI::Range(1, bench::kMaxRepeats));
                app.add_option("--min-time", o->bench.min_seconds,
                               fmt::format("Run each workload again until its timed runs add up to "
                                           "this many seconds, at most {} runs (default 1; 0: "
                                           "exactly --repeats)",
                                           bench::kMaxRepeats))
                    ->check(CLI::Range(0.0, 86400.0));
                app.add_option("--only", o->bench.only,
                               fmt::format("Workloads to run, separated by spaces or commas "
                                           "(default: {}); `scaling` runs {}; `growth` runs {}",
                                           fmt::join(bench::default_workloads(), ", "),
                                           fmt::join(bench::scaling_workloads(), ", "),
                                           fmt::join(bench::growth_workloads(), ", ")))
                    ->expected(1, -1)
                    ->delimiter(',');
                app.add_flag("--tiny", o->bench.tiny, "Shrink every workload (a smoke test)");
                app.add_option("--scenarios", o->scenarios,
                               "Folder holding baseline_2019.yaml or examples/iraq_syria_cells.yaml "
                               "(default: ./scenarios, then the source tree's)");
                app.add_option("-j,--threads", o->bench.sweep_threads,
                               "Threads for the sweep workload (0 = all cores)")
                    ->check(CLI::Range(0, 4096));
                return [o] {
                    o->bench.scenarios_dir = o->scenarios;
                    // The table's header goes out with the first row: a selection that fails
                    // (an unknown workload, exit code 2) prints nothing to stdout.
                    bool header = !o->json;
                    bench::run(o->bench, [&o, &header](const bench::Result& r) {
                        std::string line =
                            o->json ? bench::to_json(r, o->per_run) + "\n" : bench::table_row(r);
                        if (header) line = bench::table_header() + line;
                        header = false;
                        std::fputs(line.c_str(), stdout);
                        std::fflush(stdout);
                    });
                    return 0;
                };
            }};
}

}  // namespace resurgence::cli
