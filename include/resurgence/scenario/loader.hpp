#pragma once
// Scenario loading: file (+ includes) -> doc tree -> overrides applied -> validated ScenarioSpec.
// Throws InputError listing every problem as `file:line:column: key.path: message`.
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

// Parses YAML text into a doc tree (no schema check). Throws InputError on syntax errors,
// duplicate keys, excessive size or nesting.
doc::Node parse_document(const std::string& text, const std::string& name);

// Validates a document into a spec (the schema checker). Throws InputError.
ScenarioSpec build_spec(const doc::Node& root, const std::string& file, const std::string& hash);

}  // namespace resurgence
