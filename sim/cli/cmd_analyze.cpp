// `resurgence analyze SWEEP_DIR [--method M] [--outcome NAME]… [--bootstrap B] [-s SEED]`:
// Sobol indices, Morris μ*/σ or PRCC, by the sweep's design.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <map>

#include "command_registry.hpp"
#include "resurgence/sweep/analyze.hpp"

namespace resurgence::cli {

Command analyze_command() {
    return {"analyze",
            "Sensitivity of a finished sweep's outcomes to its parameters: Sobol indices (sobol "
            "design), Morris mu*/sigma (morris design) or PRCC (others)",
            [](CLI::App& app, const Globals&) -> std::function<int()> {
                struct Opts {
                    std::string dir;
                    sweep::Method method = sweep::Method::automatic;
                    std::vector<std::string> outcomes;
                    int bootstrap = 1000;
                    double level = 0.95;
                    long long seed = 1;
                    std::string out;
                };
                auto o = std::make_shared<Opts>();
                app.add_option("dir", o->dir, "Sweep folder")->required();
                const std::map<std::string, sweep::Method> methods{{"auto", sweep::Method::automatic},
                                                                   {"sobol", sweep::Method::sobol},
                                                                   {"morris", sweep::Method::morris},
                                                                   {"prcc", sweep::Method::prcc}};
                app.add_option("-m,--method", o->method, "auto (by design), sobol, morris or prcc")
                    ->transform(CLI::CheckedTransformer(methods, CLI::ignore_case));
                app.add_option("--outcome", o->outcomes, "Outcome(s) to analyse (default: all)");
                app.add_option("-b,--bootstrap", o->bootstrap, "Bootstrap resamples for intervals (0 = none)")
                    ->check(CLI::Range(0, 1'000'000));
                app.add_option("--level", o->level, "Interval coverage")->check(CLI::Range(0.5, 0.999));
                app.add_option("-s,--seed", o->seed, "Seed of the bootstrap resampling")
                    ->check(CLI::Range(0LL, 9223372036854775807LL));
                app.add_option("-o,--out", o->out, "CSV file (default: SWEEP_DIR/<method>.csv)");
                return [o] {
                    sweep::AnalyzeOptions ao;
                    ao.method = o->method;
                    ao.outcomes = o->outcomes;
                    ao.bootstrap = o->bootstrap;
                    ao.level = o->level;
                    ao.seed = static_cast<std::uint64_t>(o->seed);
                    ao.out_file = o->out;
                    const auto rep = sweep::analyze_sweep(o->dir, ao);
                    std::fwrite(rep.text.data(), 1, rep.text.size(), stdout);
                    spdlog::info("wrote {}", rep.file.string());
                    return 0;
                };
            }};
}

}  // namespace resurgence::cli
