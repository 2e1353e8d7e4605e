#pragma once
// The command line: parses arguments and dispatches to the library. Errors propagate as the
// library's typed exceptions; main() alone turns them into exit codes.
#include <exception>

namespace resurgence::cli {

// Exit codes: 0 ok, 1 runtime failure, 2 bad input.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

int dispatch(int argc, char** argv);

// Prints an error thrown by the library as main() does (an InputError's problems one a line,
// file:line:column first; a RuntimeFailure or other exception as a logged error) and returns
// its exit code.
int report_error(std::exception_ptr error);

}  // namespace resurgence::cli
