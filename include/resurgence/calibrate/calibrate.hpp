#pragma once
// `resurgence calibrate` (docs/calibration.md): fits the free parameters of a targets file to
// its target bands by minimising, over the unit cube of the parameters,
//
//   f = sum_t w_t [ (out_t / s_t)^2 + tie_break (m_t - c_t)^2 / s_t^2 ]
//
// where m_t is the mean over replications of target t's statistic, out_t its distance outside
// the band [lo_t, hi_t] (0 inside), s_t the band's width and c_t its centre (one-sided bands:
// s_t = max(|end|, 1) and no centre term). A target none of whose replications has a value
// counts as one band width outside.
//
// Common random numbers: every candidate runs replications 0..R-1 with the same seed, so two
// candidates differ only through their parameters and the objective is a deterministic function
// of them. Candidates' values are rounded to 6 significant digits (whole numbers for integer
// parameters); a candidate met again reuses its runs. The replications of a batch of candidates
// run on a thread pool; statistics are gathered in (candidate, replication) order, so results
// and outputs are byte-identical whatever the thread count.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "resurgence/calibrate/optimizer.hpp"
#include "resurgence/calibrate/targets.hpp"
#include "resurgence/output/recorder.hpp"
#include "resurgence/scenario/spec.hpp"

namespace resurgence::calibrate {

struct CalibrateOptions {
    std::string scenario;               // scenario file ("" = the targets file's `scenario`)
    std::optional<int> replications;    // over the targets file's, over the scenario's
    std::optional<std::uint64_t> seed;  // over the targets file's, over the scenario's
    std::optional<int> budget;          // over the targets file's, default 60
    int threads = 0;                    // 0 = all cores
    std::function<void(long done, long total)> progress;  // evaluations; serialised
};

inline constexpr int kDefaultBudget = 60;

struct TargetStat {
    std::size_t n = 0;  // replications with a value
    double mean = 0, sd = 0, ci_lo = 0, ci_hi = 0;  // 95% Student t interval of the mean
    bool inside = false;
};

struct Evaluation {
    int index = 0;
    Phase phase = Phase::start;
    std::vector<double> unit;         // the point in the unit cube the optimiser asked for
    std::vector<std::string> values;  // the parameter values run (override text)
    double objective = 0;
    bool inside_all = false;
    std::vector<TargetStat> targets;
    int reused = -1;   // index of the earlier evaluation whose runs were reused, or -1
    std::string note;  // why a candidate was rejected (objective infinite)
};

struct CalibrationReport {
    TargetsSpec spec;
    std::string scenario_file, scenario_name, scenario_hash;
    std::uint64_t seed = 0;
    int replications = 0;
    int budget = 0;
    int screen = 0;
    int threads = 1;  // not written to any output (they do not depend on it)
    std::vector<Evaluation> trace;
    std::size_t best = 0;  // index into trace
    OptimizerResult optimizer;
    int runs = 0;  // evaluations that ran (not reused)
    double seconds = 0;
    [[nodiscard]] const Evaluation& best_evaluation() const { return trace.at(best); }
};

// One target resolved against a scenario: which columns, which days.
struct ResolvedTarget {
    bool summary = false;             // summary outcome(s), else timeseries column(s)
    std::vector<std::size_t> columns;  // indices into summary_outcomes() or the timeseries columns
    Aggregate aggregate = Aggregate::mean;
    int from = 0, to = 0;  // inclusive days (timeseries)
};

class Calibration {
public:
    // Reads the targets file and prepares (every problem as file:line:column, InputError).
    static Calibration prepare(const std::string& targets_file, const CalibrateOptions& options);
    // From a spec already read (tests).
    static Calibration prepare(TargetsSpec spec, const CalibrateOptions& options);

    CalibrationReport run() const;

    // Pieces, for tests and tools.
    [[nodiscard]] const TargetsSpec& spec() const noexcept { return spec_; }
    [[nodiscard]] const ScenarioSpec& scenario() const noexcept { return base_; }
    [[nodiscard]] const std::vector<ResolvedTarget>& resolved() const noexcept { return resolved_; }
    [[nodiscard]] int replications() const noexcept { return replications_; }
    [[nodiscard]] std::uint64_t seed() const noexcept { return seed_; }
    [[nodiscard]] int budget() const noexcept { return budget_; }
    [[nodiscard]] int screen() const noexcept { return screen_; }
    // The value (override text) of parameter i at unit coordinate u, and back.
    [[nodiscard]] std::string value_text(std::size_t i, double u) const;
    [[nodiscard]] double unit_of(std::size_t i, double value) const;
    // Each target's per-replication value from one replication's results.
    [[nodiscard]] std::vector<double> statistics(const ReplicationResult& r) const;
    // The objective and the per-target summaries from values[t][replication].
    [[nodiscard]] double objective(const std::vector<std::vector<double>>& values,
                                   std::vector<TargetStat>& stats, bool& inside_all) const;

private:
    TargetsSpec spec_;
    CalibrateOptions options_;
    ScenarioSpec base_;  // the scenario with the fixed overrides and the seed
    std::string scenario_file_;
    std::vector<ResolvedTarget> resolved_;
    std::size_t timeseries_columns_ = 0;
    int replications_ = 0;
    std::uint64_t seed_ = 0;
    int budget_ = 0;
    int screen_ = 0;
};

// The output files (deterministic text), and all of them written atomically into `dir`.
std::string fitted_yaml(const CalibrationReport& report);
std::string fit_report_csv(const CalibrationReport& report);
std::string trace_csv(const CalibrationReport& report);
std::string calibrate_json(const CalibrationReport& report);
void write_outputs(const CalibrationReport& report, const std::filesystem::path& dir);
// results/calibration/<targets name>
std::filesystem::path default_output_dir(const CalibrationReport& report);

// A table of the fit for people (stdout).
std::string format_fit(const CalibrationReport& report);

}  // namespace resurgence::calibrate
