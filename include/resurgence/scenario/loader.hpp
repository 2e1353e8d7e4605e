#pragma once
// Scenario loading: file (+ includes) -> doc tree -> overrides applied -> validated ScenarioSpec.
// Throws InputError listing every problem as `file:line:column: key.path: message`.
#include <optional>
#include <string>
#include <vector>

#include "resurgence/scenario/doc.hpp"
#include "resurgence/scenario/spec.hpp"

namespace resurgence {

struct LoadOptions {
    // "key=value" overrides from the command line, applied to the document before validation.
    // `key` is a dotted path into the document (`horizon_days`, `regions[0].legitimacy`,
    // `parameters.civilians.k`) or a parameter name (`civilians.k`).
    std::vector<std::string> overrides;
};

ScenarioSpec load_scenario(const std::string& path, const LoadOptions& options = {});
// Same, from text in memory (tests, the fuzzer); `name` stands for the file in messages.
ScenarioSpec load_scenario_text(const std::string& text, const std::string& name,
                                const LoadOptions& options = {});

// The bytes of a regular file of at most 16 MiB, or nullopt with `why` saying what is wrong
// (no such file, a directory, a device or FIFO, too large, unreadable). Every input file of
// the project (scenarios, sweeps, targets) is read through it.
std::optional<std::string> read_input_file(const std::string& path, std::string& why);

// Parses YAML text into a doc tree (no schema check). Throws InputError on syntax errors,
// duplicate keys, excessive size or nesting.
// With `recoverable`, problems after which the tree is still well formed (duplicate keys, the
// first value kept) are appended there instead of thrown, so that the caller can report them
// together with its own checks; without it every problem is thrown.
doc::Node parse_document(const std::string& text, const std::string& name,
                         doc::Problems* recoverable = nullptr);

// Validates a document into a spec (the schema checker). Throws InputError.
ScenarioSpec build_spec(const doc::Node& root, const std::string& file, const std::string& hash);

}  // namespace resurgence
