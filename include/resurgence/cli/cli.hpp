#pragma once
// The command line: parses arguments and dispatches to the library. Errors propagate as the
// library's typed exceptions; main() alone turns them into exit codes.
namespace resurgence::cli {

// Exit codes: 0 ok, 1 runtime failure, 2 bad input.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

int dispatch(int argc, char** argv);

}  // namespace resurgence::cli
