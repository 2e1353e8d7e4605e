// `resurgence merge DIR… [-o OUT]`: join the folders of a sweep's shards into its outputs.
#include <spdlog/spdlog.h>

#include "command_registry.hpp"
#include "resurgence/sweep/executor.hpp"

namespace resurgence::cli {

Command merge_command() {
    return {"merge",
            "Join the folders of a sweep's shards (--shard i/N) into runs.csv, sweep_summary.csv "
            "and failures.csv",
            [](CLI::App& app, const Globals&) -> std::function<int()> {
                struct Opts {
                    std::vector<std::string> dirs;
                    std::string out;
                };
                auto o = std::make_shared<Opts>();
                app.add_option("dirs", o->dirs, "Sweep folders, one per shard (or several runs)")
                    ->required();
                app.add_option("-o,--out", o->out, "Folder for the merged outputs (default: the first DIR)");
                return [o] {
                    std::vector<std::filesystem::path> dirs(o->dirs.begin(), o->dirs.end());
                    const auto rep = sweep::merge_sweeps(dirs, o->out);
                    if (rep.duplicates > 0)
                        spdlog::info("{} plans had results in more than one folder ({} disagreeing)",
                                     rep.duplicates, rep.conflicts);
                    if (rep.failed > 0) spdlog::warn("{} plans failed (see failures.csv)", rep.failed);
                    spdlog::info("merged {} folder{} into {} ({} plans)", dirs.size(),
                                 dirs.size() == 1 ? "" : "s", rep.dir.string(), rep.plans);
                    return 0;
                };
            }};
}

}  // namespace resurgence::cli
