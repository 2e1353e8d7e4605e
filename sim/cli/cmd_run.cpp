// `resurgence run FILE [key=value …] [-r REPS] [-s SEED] [-j THREADS] [-o DIR] [--no-plots]`
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "command_registry.hpp"
#include "resurgence/run/runner.hpp"
#include "resurgence/scenario/loader.hpp"

namespace resurgence::cli {

Command run_command() {
    return {"run", "Run a scenario's replications and write CSV outputs, run.json and plots",
            [](CLI::App& app, const Globals& g) -> std::function<int()> {
                struct Opts {
                    std::string file;
                    std::vector<std::string> overrides;
                    std::optional<long long> reps;
                    std::optional<long long> seed;
                    int threads = 0;
                    std::string out;
                    bool no_plots = false;
                };
                auto o = std::make_shared<Opts>();
                app.add_option("file", o->file, "Scenario YAML file")->required();
                add_overrides_option(app, o->overrides);
                app.add_option("-r,--replications", o->reps, "Replications (overrides the file)");
                app.add_option("-s,--seed", o->seed, "Master seed (overrides the file)");
                app.add_option("-j,--threads", o->threads, "Worker threads (0 = all cores)")
                    ->check(CLI::Range(0, 4096));
                app.add_option("-o,--out", o->out, "Output folder (default: outputs.dir)");
                app.add_flag("--no-plots", o->no_plots, "Do not render plots and report");
                return [o, g] {
                    LoadOptions lo;
                    lo.overrides = o->overrides;
                    // -r and -s are overrides like any other: validated and recorded.
                    if (o->reps) lo.overrides.push_back(fmt::format("replications={}", *o->reps));
                    if (o->seed) lo.overrides.push_back(fmt::format("seed={}", *o->seed));
                    const ScenarioSpec spec = load_scenario(o->file, lo);
                    RunOptions ro;
                    ro.threads = o->threads;
                    ro.out_dir = o->out;
                    ProgressLine progress("replications", *g.quiet);
                    ro.progress = [&progress](int done, int total) { progress.update(done, total); };
                    const int threads = std::min(resolve_threads(o->threads), spec.replications);
                    spdlog::info("running {} ({} replication{}, {} days, {} thread{})", spec.name,
                                 spec.replications, spec.replications == 1 ? "" : "s",
                                 spec.horizon_days, threads, threads == 1 ? "" : "s");
                    const RunReport report = run_scenario(spec, ro);
                    spdlog::info("wrote {} in {:.2f} s", report.dir.string(), report.seconds);
                    if (!o->no_plots && spec.outputs.plots) render_plots(report.dir.string(), *g.quiet);
                    return 0;
                };
            }};
}

}  // namespace resurgence::cli
