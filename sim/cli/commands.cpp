#include "command_registry.hpp"

namespace resurgence::cli {

Command sweep_command(), merge_command(), compare_command(), analyze_command();  // sweep/ (issue 6)
Command bench_command();  // bench/ (issue 8)
Command calibrate_command();  // calibrate/ (issue 5)

std::vector<Command> builtin_commands() {
    return {validate_command(), run_command(),     params_command(),  sweep_command(),
            merge_command(),    compare_command(), analyze_command(),
            bench_command(),    calibrate_command()};
}

}  // namespace resurgence::cli
