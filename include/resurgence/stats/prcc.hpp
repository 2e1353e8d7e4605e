#pragma once
// Sampling-based sensitivity for Latin hypercube and other scattered designs: partial rank
// correlation coefficients (PRCC) with bootstrap intervals and p-values, and standardised
// regression coefficients (SRC) with the R² of the linear fit that backs them.
//
// PRCC_i is the correlation between the ranks of input i and of the output once the linear
// effect of the other inputs' ranks is removed from both; it ranks monotonic influences.
// Marino, Hogue, Ray & Kirschner (2008), A methodology for performing global uncertainty and
// sensitivity analysis in systems biology. J. Theor. Biol. 254:178-196.
#include <Eigen/Dense>

#include <cstdint>
#include <vector>

namespace resurgence::stats {

struct PrccIndex {
    double prcc, lo, hi;  // estimate and bootstrap percentile interval
    double p_value;       // t test of PRCC = 0 with n - k - 1 degrees of freedom
    double src;           // standardised regression coefficient (raw values)
};

struct PrccResult {
    std::vector<PrccIndex> indices;  // one per column of x
    Eigen::Index samples = 0;
    double r2 = 0;       // R² of the linear regression behind SRC
    double rank_r2 = 0;  // R² of the regression on ranks behind PRCC
};

// Average ranks (ties share the mean of their positions), 1-based.
Eigen::VectorXd ranks(const Eigen::VectorXd& v);

// x: n x k inputs (no NaN), y: n outputs (no NaN). Columns must vary (callers drop constants).
PrccResult prcc(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, int bootstrap = 1000,
                double level = 0.95, std::uint64_t seed = 1);

}  // namespace resurgence::stats
