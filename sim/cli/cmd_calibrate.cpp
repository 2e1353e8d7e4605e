// `resurgence calibrate [FILE] --targets TARGETS.yaml [-o DIR] [-j N] [--budget N] [-r REPS] [-s SEED]`:
// fits a scenario's free parameters to target bands (docs/calibration.md).
#include <spdlog/spdlog.h>

#include <cstdio>

#include "command_registry.hpp"
#include "resurgence/calibrate/calibrate.hpp"
#include "resurgence/cli/cli.hpp"

namespace resurgence::cli {

Command calibrate_command() {
    return {"calibrate",
            "Fit a scenario's free parameters to target bands (Nelder-Mead over replication means "
            "with common random numbers); writes fitted.yaml and fit_report.csv",
            [](CLI::App& app, const Globals& g) -> std::function<int()> {
                struct Opts {
                    std::string file;
                    std::string targets;
                    std::string out;
                    int threads = 0;
                    std::optional<int> budget;
                    std::optional<int> reps;
                    std::optional<long long> seed;
                };
                auto o = std::make_shared<Opts>();
                app.add_option("file", o->file,
                               "Scenario to calibrate (default: the targets file's 'scenario')");
                app.add_option("-t,--targets", o->targets,
                               "Targets file: free parameters and target bands (docs/calibration.md)")
                    ->required();
                app.add_option("-o,--out", o->out, "Output folder (default: results/calibration/NAME)");
                app.add_option("-j,--threads", o->threads, "Worker threads (0 = all cores)")
                    ->check(CLI::Range(0, 4096));
                app.add_option("--budget", o->budget,
                               "Evaluations of the objective, at most (default: the targets file's, else 60)")
                    ->check(CLI::Range(1, 1'000'000));
                app.add_option("-r,--replications", o->reps,
                               "Replications per candidate (default: the targets file's, else the scenario's)")
                    ->check(CLI::Range(2, 1'000'000));
                app.add_option("-s,--seed", o->seed,
                               "Seed of every candidate (default: the targets file's, else the scenario's)")
                    ->check(CLI::Range(0LL, 9223372036854775807LL));
                return [o, g] {
                    calibrate::CalibrateOptions co;
                    co.scenario = o->file;
                    co.replications = o->reps;
                    co.budget = o->budget;
                    if (o->seed) co.seed = static_cast<std::uint64_t>(*o->seed);
                    co.threads = o->threads;
                    ProgressLine progress("evaluations", *g.quiet);
                    co.progress = [&progress](long done, long total) { progress.update(done, total); };
                    const auto cal = calibrate::Calibration::prepare(o->targets, co);
                    spdlog::info("calibrating {} parameter{} of {} to {} target{}: budget {} evaluations "
                                 "({} screen), {} replications each, seed {}",
                                 cal.spec().parameters.size(), cal.spec().parameters.size() == 1 ? "" : "s",
                                 cal.scenario().name, cal.spec().targets.size(),
                                 cal.spec().targets.size() == 1 ? "" : "s", cal.budget(), cal.screen(),
                                 cal.replications(), cal.seed());
                    const auto rep = cal.run();
                    const std::filesystem::path dir =
                        o->out.empty() ? calibrate::default_output_dir(rep) : std::filesystem::path(o->out);
                    calibrate::write_outputs(rep, dir);
                    const std::string table = calibrate::format_fit(rep);
                    std::fwrite(table.data(), 1, table.size(), stdout);
                    spdlog::info("wrote {} ({} evaluations, {} run; {:.2f} s)", dir.string(), rep.trace.size(),
                                 rep.runs, rep.seconds);
                    return kExitOk;
                };
            }};
}

}  // namespace resurgence::cli
