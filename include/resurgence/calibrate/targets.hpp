#pragma once
// The targets file of `resurgence calibrate` (docs/calibration.md): the free parameters of a
// scenario (override keys with a range) and the target statistics they are fitted to (bands with
// their sources). Read from YAML through the doc tree with the scenario files' error standards:
// every problem as `file:line:column: key.path: message`, unknown keys rejected with the allowed
// ones listed, InputError (exit 2). Statistic names are resolved against a loaded scenario
// later (calibrate.hpp), since the timeseries columns depend on its countries.
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "resurgence/scenario/doc.hpp"

namespace resurgence::calibrate {

struct FreeParameter {
    std::string name;  // override key: a parameter (cells.recruit_rate) or a path (regions[2].legitimacy)
    double min = 0, max = 0;
    std::optional<double> start;  // where the search starts (default: the middle of the range)
    bool log = false;             // search uniformly in log(value) (needs min > 0)
    bool integer = false;         // round candidates to whole numbers
    std::string path;             // "parameters[1]", for messages
    doc::Mark mark, min_mark, max_mark, start_mark;
};

// How a timeseries column becomes one number per replication, over the window's days.
enum class Aggregate { mean, sum, min, max, first, last, per_30_days };
const char* name_of(Aggregate) noexcept;

// A window end as written: a day index (0 = start date) or an ISO date.
struct DayRef {
    std::optional<long long> day;
    std::string date;  // YYYY-MM-DD when given as a date
    doc::Mark mark;
};

struct Target {
    std::string name;       // identifier, a column prefix in trace.csv
    std::string statistic;  // as written: a column, or columns joined by '+'
    std::vector<std::string> terms;  // the columns summed
    std::optional<Aggregate> aggregate;  // timeseries statistics only
    std::optional<DayRef> from, to;      // window (inclusive); default: the whole horizon
    bool at = false;                     // written as `at: day` (from == to)
    double lo = -std::numeric_limits<double>::infinity();  // band; an open end is infinite
    double hi = std::numeric_limits<double>::infinity();
    std::string source;  // figure id or citation
    double weight = 1;
    std::string path;  // "targets[0]"
    doc::Mark mark, statistic_mark, band_mark;
    // Scale of the band: its width, or for a one-sided band max(|finite end|, 1).
    [[nodiscard]] double scale() const noexcept;
    [[nodiscard]] bool two_sided() const noexcept;
};

struct TargetsSpec {
    std::string file;  // as given
    std::string name;  // default: the file's stem
    std::string description;
    std::string scenario;  // as written ("" = none; the command line gives it)
    std::filesystem::path scenario_path;  // resolved against the targets file's folder
    std::vector<std::string> overrides;   // fixed key=value applied to every candidate
    std::vector<doc::Mark> override_marks;
    std::optional<int> replications;   // default: the scenario's
    std::optional<std::uint64_t> seed;  // default: the scenario's
    std::optional<int> budget;          // evaluations of the objective (default 60)
    std::optional<int> screen;          // Latin hypercube points before Nelder-Mead
    int restarts = 2;                   // Nelder-Mead restarts after convergence
    double tie_break = 1e-3;            // weight of the pull toward band centres
    std::vector<FreeParameter> parameters;
    std::vector<Target> targets;
};

TargetsSpec read_targets_file(const std::string& path);
// The same from text; `name` stands for the file in messages and locates the scenario.
TargetsSpec read_targets_text(const std::string& text, const std::string& name);

}  // namespace resurgence::calibrate
