#pragma once
// Variance-based sensitivity: first-order and total Sobol indices from the Saltelli sampling
// scheme, with bootstrap confidence intervals.
//
// With N base samples, matrices A and B (N x k, rows independent draws of the k inputs) and
// AB_i = A with column i taken from B, the model is evaluated at f(A), f(B) and f(AB_i). Then,
// with V = Var([f(A); f(B)]):
//   first order  S_i  = mean( f(B) (f(AB_i) - f(A)) ) / V        Saltelli et al. (2010), eq. (b)
//   total        ST_i = mean( (f(A) - f(AB_i))^2 ) / (2 V)       Jansen (1999), Saltelli (2010) eq. (f)
// Saltelli, Annoni, Azzini, Campolongo, Ratto & Tarantola (2010), Variance based sensitivity
// analysis of model output. Design and estimator for the total sensitivity index. Computer
// Physics Communications 181:259-270, Table 2.
#include <Eigen/Dense>

#include <cstdint>
#include <vector>

namespace resurgence::stats {

struct SobolIndex {
    double s1, s1_lo, s1_hi;  // first order and its bootstrap percentile interval
    double st, st_lo, st_hi;  // total
    double s1_se, st_se;      // bootstrap standard errors
};

struct SobolResult {
    std::vector<SobolIndex> indices;  // one per input, in column order
    Eigen::Index samples = 0;         // N
    double variance = 0;              // V
};

// fa, fb: N values; fab: N x k, column i = f(AB_i). `bootstrap` resamples of the N rows
// (0 = no intervals: lo = hi = NaN); `level` is the interval's coverage; `seed` keys the
// resampling stream (results are deterministic).
SobolResult sobol_indices(const Eigen::VectorXd& fa, const Eigen::VectorXd& fb,
                          const Eigen::MatrixXd& fab, int bootstrap = 1000, double level = 0.95,
                          std::uint64_t seed = 1);

// The point estimates alone, for the rows listed in `rows` (a bootstrap resample).
void sobol_point_estimates(const Eigen::VectorXd& fa, const Eigen::VectorXd& fb,
                           const Eigen::MatrixXd& fab, const std::vector<Eigen::Index>& rows,
                           Eigen::VectorXd& s1, Eigen::VectorXd& st, double& variance);

// Percentile of a sample (type 7), sorting a copy.
double percentile(std::vector<double> values, double p);

}  // namespace resurgence::stats
