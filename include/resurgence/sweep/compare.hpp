#pragma once
// Paired comparison of two scenarios with common random numbers (`resurgence compare`).
//
// Both scenarios run replications 0..N-1 with the same seed, so replication r of A and of B draw
// the same random streams purpose by purpose and entity by entity (core/rng.hpp): wherever the
// scenarios do not differ, their runs do not differ either, and the per-replication differences
// B - A vary far less than two independent samples would. For each outcome this reports the
// mean difference with a paired t interval, the Welch interval an unpaired design would give,
// and how much narrower the paired one is.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "resurgence/stats/summary.hpp"

namespace resurgence::sweep {

struct CompareOptions {
    std::optional<int> replications;     // default: scenario A's
    std::optional<std::uint64_t> seed;   // default: scenario A's
    std::vector<std::string> overrides;  // applied to both
    int threads = 0;
    double level = 0.95;
    std::function<void(long done, long total)> progress;  // serialised
};

struct OutcomeComparison {
    std::string_view name;
    std::string_view unit;
    stats::Difference d;
};

struct CompareReport {
    std::string a_file, b_file, a_name, b_name;
    int replications = 0;
    std::uint64_t seed = 0;
    double level = 0.95;
    std::vector<OutcomeComparison> outcomes;
    double seconds = 0;
    // What the outcomes are measured over, per scenario: when these differ the table says so
    // (totals over different horizons, days to resurgence from different days).
    int a_horizon = 0, b_horizon = 0;
    int a_from_day = 0, b_from_day = 0;  // resurgence.from_day
};

CompareReport compare_scenarios(const std::string& a_file, const std::string& b_file,
                                const CompareOptions& options);

// A table for people, and CSV (outcome,unit,pairs,mean_a,mean_b,diff,paired_lo,paired_hi,
// welch_lo,welch_hi,correlation,narrowing).
std::string format_comparison(const CompareReport& report);
std::string comparison_csv(const CompareReport& report);

}  // namespace resurgence::sweep
