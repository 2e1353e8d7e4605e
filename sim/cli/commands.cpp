#include "command_registry.hpp"

namespace resurgence::cli {

std::vector<Command> builtin_commands() {
    return {validate_command(), run_command(), params_command()};
}

}  // namespace resurgence::cli
