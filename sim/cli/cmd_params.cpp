// `resurgence params`: the parameter table (default, unit, bounds, source of every knob).
#include <cstdio>

#include "command_registry.hpp"
#include "resurgence/params/parameters.hpp"

namespace resurgence::cli {

Command params_command() {
    return {"params", "Print every model parameter with its default, unit, bounds and source",
            [](CLI::App& app, const Globals&) -> std::function<int()> {
                auto markdown = std::make_shared<bool>(false);
                app.add_flag("--markdown", *markdown, "Print a markdown table (for docs)");
                return [markdown] {
                    std::fputs(format_parameter_table(*markdown).c_str(), stdout);
                    return 0;
                };
            }};
}

}  // namespace resurgence::cli
