#pragma once
// One error hierarchy for the whole library. Only main() catches these and turns them into an
// exit code: InputError -> 2 (bad input), RuntimeFailure -> 1 (the run itself failed).
#include <stdexcept>
#include <string>
#include <vector>

namespace resurgence {

// One problem found in user input, located as precisely as we can.
// Rendered as `file:line:column: key.path: message` (line/column 1-based, omitted when 0).
struct Problem {
    std::string file;
    int line = 0;
    int column = 0;
    std::string path;     // key path, e.g. events[3].ramp_days
    std::string message;  // what is wrong and what is allowed
    [[nodiscard]] std::string str() const;
};

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Bad input: scenario files, overrides, command-line values. Carries every problem found.
class InputError : public Error {
public:
    explicit InputError(std::vector<Problem> problems);
    explicit InputError(const std::string& message);
    [[nodiscard]] const std::vector<Problem>& problems() const { return problems_; }

private:
    std::vector<Problem> problems_;
};

// A failure while running: I/O error, violated invariant, resource exhaustion.
class RuntimeFailure : public Error {
public:
    using Error::Error;
};

// Thrown when an invariant (conservation of agents, probabilities in range) fails.
class InvariantViolation : public RuntimeFailure {
public:
    using RuntimeFailure::RuntimeFailure;
};

}  // namespace resurgence
