#pragma once
// The sweep file (docs/sweeps.md): a base scenario, the parameters to vary and how (a design),
// replications per design point and the seed rule. Read from YAML through the doc tree, with the
// scenario files' error standards: every problem as `file:line:column: key.path: message`,
// unknown keys rejected with the allowed ones listed, InputError (exit 2).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "resurgence/scenario/doc.hpp"

namespace resurgence::sweep {

enum class DesignKind { list, grid, lhs, sobol, morris };
const char* name_of(DesignKind) noexcept;

// What happens when a run plan fails (an invariant violation, an invalid combination of values).
//   stop:   no new plans start; finished ones are kept; the error is reported (exit 1 or 2) and a
//           rerun retries the failed plan.
//   record: the failure is recorded as that plan's result (empty outcomes, listed in
//           failures.csv) and the sweep goes on.
enum class FailurePolicy { stop, record };
const char* name_of(FailurePolicy) noexcept;

struct Parameter {
    std::string name;  // override key (`civilians.k`, `regions[0].legitimacy`) and CSV column
    // Discrete parameters: the values as override text (written in `values`, or generated from
    // min/max/steps). Empty for a continuous parameter.
    std::vector<std::string> values;
    std::vector<doc::Mark> value_marks;  // where each value came from (for messages)
    // Continuous parameters (and the source of generated values).
    double min = 0, max = 0;
    bool log = false;      // sample uniformly in log(value)
    bool integer = false;  // round sampled values to whole numbers
    std::string path;      // "parameters[2]", for messages
    doc::Mark mark, min_mark, max_mark;
    [[nodiscard]] bool discrete() const noexcept { return !values.empty(); }
};

struct SweepSpec {
    std::string file;         // the sweep file as given
    std::string name;         // identifier; default: the file's stem
    std::string description;
    std::string base;                    // as written in the file
    std::filesystem::path base_path;     // resolved against the sweep file's folder
    std::vector<std::string> overrides;  // fixed key=value applied to every run
    std::vector<doc::Mark> override_marks;
    DesignKind design = DesignKind::grid;
    long long samples = 0;  // lhs: points; sobol: base samples N; morris: trajectories
    int levels = 4;         // morris grid levels
    int replications = 1;
    std::uint64_t seed = 1;
    bool common_random_numbers = false;
    FailurePolicy on_failure = FailurePolicy::stop;
    std::string output;  // output folder as written ("" = results/sweeps/<name>)
    std::vector<Parameter> parameters;
    doc::Mark design_mark;
};

// Reads and checks a sweep file (no look at the base scenario yet: see sweep.hpp).
SweepSpec read_sweep_file(const std::string& path);
// The same from text; `name` stands for the file in messages and locates the base scenario.
SweepSpec read_sweep_text(const std::string& text, const std::string& name);

// Formats a generated parameter value as override text: whole numbers without a fraction,
// others in the shortest form that reads back to the same double.
std::string format_value(double v);

}  // namespace resurgence::sweep
