// `resurgence compare A.yaml B.yaml [key=value …] [-r N] [-s SEED] [-j N] [-o FILE.csv]`:
// paired comparison with common random numbers.
#include <spdlog/spdlog.h>

#include <cstdio>

#include "command_registry.hpp"
#include "resurgence/output/files.hpp"
#include "resurgence/sweep/compare.hpp"

namespace resurgence::cli {

Command compare_command() {
    return {"compare",
            "Run two scenarios with common random numbers and report each outcome's difference "
            "with paired and unpaired 95% intervals",
            [](CLI::App& app, const Globals& g) -> std::function<int()> {
                struct Opts {
                    std::string a, b;
                    std::vector<std::string> overrides;
                    std::optional<int> reps;
                    std::optional<long long> seed;
                    int threads = 0;
                    std::string csv;
                };
                auto o = std::make_shared<Opts>();
                app.add_option("a", o->a, "Scenario A (the reference)")->required();
                app.add_option("b", o->b, "Scenario B (differences are B - A)")->required();
                add_overrides_option(app, o->overrides);
                app.add_option("-r,--replications", o->reps, "Replications of each (default: A's)")
                    ->check(CLI::Range(2, 1'000'000));
                app.add_option("-s,--seed", o->seed, "Seed for both (default: A's)")
                    ->check(CLI::Range(0LL, 9223372036854775807LL));
                app.add_option("-j,--threads", o->threads, "Worker threads (0 = all cores)")
                    ->check(CLI::Range(0, 4096));
                app.add_option("-o,--csv", o->csv, "Also write the comparison as CSV to this file");
                return [o, g] {
                    sweep::CompareOptions co;
                    co.replications = o->reps;
                    if (o->seed) co.seed = static_cast<std::uint64_t>(*o->seed);
                    co.overrides = o->overrides;
                    co.threads = o->threads;
                    ProgressLine progress("runs", *g.quiet);
                    co.progress = [&progress](long done, long total) { progress.update(done, total); };
                    const auto rep = sweep::compare_scenarios(o->a, o->b, co);
                    const std::string table = sweep::format_comparison(rep);
                    std::fwrite(table.data(), 1, table.size(), stdout);
                    if (!o->csv.empty()) write_file_atomic(o->csv, sweep::comparison_csv(rep));
                    spdlog::info("compared in {:.2f} s", rep.seconds);
                    return 0;
                };
            }};
}

}  // namespace resurgence::cli
