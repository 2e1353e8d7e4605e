#pragma once
// Descriptive statistics over replications: mean, standard deviation, quantiles and Student t
// intervals, and the paired / Welch comparison of two samples (`resurgence compare`).
//
// NaN marks an empty value (an outcome that is undefined for a run, e.g. days to resurgence when
// the insurgency never resurged): describe() leaves NaNs out; every statistic that cannot be
// computed from what is left (a standard deviation from one value) is NaN.
#include <cstddef>
#include <span>
#include <vector>

namespace resurgence::stats {

// Arithmetic mean (NaN when empty).
double mean(std::span<const double> x) noexcept;
// Sample variance with n - 1 in the denominator (NaN when n < 2).
double variance(std::span<const double> x) noexcept;
// Quantile p in [0,1] of sorted values: linear interpolation between order statistics,
// Hyndman & Fan (1996) type 7 (R's and NumPy's default). NaN when empty.
double quantile_sorted(std::span<const double> sorted, double p) noexcept;
// Quantile of the Student t distribution with `dof` degrees of freedom (dof > 0, not
// necessarily whole: Welch's approximation gives fractions).
double t_quantile(double p, double dof);
// Two-sided p-value of a t statistic.
double t_two_sided_p(double t, double dof);

struct Interval {
    double lo;
    double hi;
    [[nodiscard]] double width() const noexcept { return hi - lo; }
};

// mean ± t_{(1+level)/2, n-1} · sd / √n; NaN bounds when n < 2.
Interval t_interval(double mean, double sd, std::size_t n, double level = 0.95);

// The per-design-point summary of one outcome (sweep_summary.csv).
struct Description {
    std::size_t n = 0;  // values that were not NaN
    double mean, sd, q05, q50, q95, ci_lo, ci_hi;
};
// `scratch` is reused to sort (no allocation once warm).
Description describe(std::span<const double> values, std::vector<double>& scratch,
                     double level = 0.95);

// B - A from two samples of the same replications run with common random numbers.
struct Difference {
    std::size_t pairs = 0;           // replications where both values are defined
    std::size_t n_a = 0, n_b = 0;    // defined values in each sample
    double mean_a, mean_b;           // over all defined values of each sample
    double diff;                     // mean of the paired differences B - A
    Interval paired;                 // paired t interval on the differences
    Interval welch;                  // Welch (unpaired, unequal variances) interval
    double welch_dof;
    double correlation;              // Pearson correlation of A and B over the pairs
    // 1 - paired width / Welch width: how much narrower common random numbers made it.
    [[nodiscard]] double narrowing() const noexcept { return 1.0 - paired.width() / welch.width(); }
};
// `a[i]` and `b[i]` are replication i of each scenario (same size).
Difference compare_paired(std::span<const double> a, std::span<const double> b,
                          double level = 0.95);

}  // namespace resurgence::stats
