// `resurgence validate FILE [key=value …]`: load and check a scenario, report every problem.
#include <spdlog/spdlog.h>

#include <cstdio>

#include "command_registry.hpp"
#include "resurgence/scenario/events.hpp"
#include "resurgence/scenario/loader.hpp"

namespace resurgence::cli {

Command validate_command() {
    return {"validate", "Check a scenario file and report every problem with its line and column",
            [](CLI::App& app, const Globals& g) -> std::function<int()> {
                struct Opts {
                    std::string file;
                    std::vector<std::string> overrides;
                };
                auto o = std::make_shared<Opts>();
                app.add_option("file", o->file, "Scenario YAML file")->required();
                add_overrides_option(app, o->overrides);
                return [o, g] {
                    LoadOptions lo;
                    lo.overrides = o->overrides;
                    const ScenarioSpec spec = load_scenario(o->file, lo);
                    if (!*g.quiet)
                        std::printf("%s: ok (%s: %zu regions, %zu forces, %zu events, %d days from %s, "
                                    "%d replications)\n",
                                    o->file.c_str(), spec.name.c_str(), spec.regions.size(),
                                    spec.forces.size(), spec.events.size(), spec.horizon_days,
                                    spec.start.iso().c_str(), spec.replications);
                    return 0;
                };
            }};
}

void add_overrides_option(CLI::App& app, std::vector<std::string>& overrides) {
    app.add_option("overrides", overrides,
                   "key=value overrides: a parameter (civilians.k=2) or a path "
                   "(horizon_days=100, regions[0].legitimacy=0.6)");
}

}  // namespace resurgence::cli
