// `resurgence validate FILE [key=value …]`: load and check a scenario, report every problem.
// Every YAML file the project ships can be checked this way; the kind of file is told by its
// top-level keys:
//   * a sweep file (`base:` and `design:`) is checked as `resurgence sweep --dry-run` would,
//     base scenario and swept values included (docs/sweeps.md);
//   * a targets file (`targets:`) as `resurgence calibrate` reads it, with its scenario
//     (docs/calibration.md);
//   * an include-only part of a scenario (none of name, start_date, horizon_days: the files of
//     scenarios/theatre/) is loaded through a stand-in scenario that includes it and supplies
//     the calendar, so that its own keys, values and references are checked; problems are
//     reported at the part's lines;
//   * anything else as a scenario.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>

#include "command_registry.hpp"
#include "resurgence/calibrate/targets.hpp"
#include "resurgence/core/error.hpp"
#include "resurgence/scenario/events.hpp"
#include "resurgence/scenario/loader.hpp"
#include "resurgence/sweep/sweep.hpp"

namespace resurgence::cli {
namespace {

enum class FileKind { scenario, sweep, targets, fragment };

// Reads only the top-level keys; a file that cannot be read or parsed is a scenario here, and
// load_scenario then reports why.
FileKind kind_of(const std::string& path) {
    std::string why;
    const auto text = read_input_file(path, why);
    if (!text) return FileKind::scenario;
    doc::Node root;
    try {
        root = parse_document(*text, path);
    } catch (const InputError&) {
        return FileKind::scenario;
    }
    if (!root.is_map()) return FileKind::scenario;
    if (root.find("base") != nullptr && root.find("design") != nullptr) return FileKind::sweep;
    if (root.find("targets") != nullptr) return FileKind::targets;
    if (root.find("name") == nullptr && root.find("start_date") == nullptr &&
        root.find("horizon_days") == nullptr)
        return FileKind::fragment;
    return FileKind::scenario;
}

}  // namespace

Command validate_command() {
    return {"validate",
            "Check a scenario file (or a sweep file, targets file or include-only part) and report "
            "every problem with its line and column",
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
                    const FileKind kind = kind_of(o->file);
                    if (kind != FileKind::scenario && !o->overrides.empty())
                        throw InputError(std::vector<Problem>{Problem{
                            o->file, 0, 0, {},
                            "key=value overrides apply to scenario files only; this is a sweep "
                            "file, targets file or include-only part"}});
                    if (kind == FileKind::sweep) {
                        const sweep::Sweep sw = sweep::Sweep::load(o->file);
                        if (!*g.quiet)
                            std::printf("%s: ok (sweep %s: %llu points x %d replications over %s)\n",
                                        o->file.c_str(), sw.spec().name.c_str(),
                                        static_cast<unsigned long long>(sw.points()),
                                        sw.spec().replications, sw.base().name.c_str());
                        return 0;
                    }
                    if (kind == FileKind::targets) {
                        const auto t = calibrate::read_targets_file(o->file);
                        if (!t.scenario_path.empty()) (void)load_scenario(t.scenario_path.string());
                        if (!*g.quiet)
                            std::printf("%s: ok (targets %s: %zu targets, %zu free parameters%s%s)\n",
                                        o->file.c_str(), t.name.c_str(), t.targets.size(),
                                        t.parameters.size(), t.scenario.empty() ? "" : ", scenario ",
                                        t.scenario.c_str());
                        return 0;
                    }
                    if (kind == FileKind::fragment) {
                        const std::filesystem::path file(o->file);
                        const std::string stand_in =
                            "name: include_check\nstart_date: 2000-01-01\nhorizon_days: 1\n"
                            "include: '" + file.filename().string() + "'\n";
                        const ScenarioSpec spec = load_scenario_text(
                            stand_in, (file.parent_path() / "(stand-in including it)").string(), lo);
                        if (!*g.quiet)
                            std::printf("%s: ok (an include-only part: %zu regions, %zu forces, %zu "
                                        "crossings, %zu detention sites, %zu fighter groups; "
                                        "checked through a stand-in scenario that includes it)\n",
                                        o->file.c_str(), spec.regions.size(), spec.forces.size(),
                                        spec.crossings.size(), spec.sites.size(), spec.fighters.size());
                        return 0;
                    }
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
