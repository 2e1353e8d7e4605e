#pragma once
// Power-law tails of discrete data after Clauset, Shalizi & Newman (2009), "Power-law
// distributions in empirical data", SIAM Review 51:661: the discrete maximum-likelihood
// exponent for x >= xmin, with xmin chosen to minimise the Kolmogorov-Smirnov distance between
// the data above it and the fitted law. Used by the validation tier (cell sizes and attack
// severities, Bohorquez et al. 2009), and available to tools and benchmarks.
// Implementation: sim/stats/powerlaw.cpp.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "resurgence/core/rng.hpp"

namespace resurgence::stats {

// Hurwitz zeta(alpha, q) = sum_{k>=0} (k + q)^-alpha for alpha > 1, q > 0: a direct sum up to
// q + k >= 20 and the Euler-Maclaurin tail (relative error below 1e-13).
double hurwitz_zeta(double alpha, double q) noexcept;

// P(X >= x) of the discrete power law p(x) = x^-alpha / zeta(alpha, xmin), x >= xmin.
double survival(double alpha, std::int64_t xmin, std::int64_t x) noexcept;

// Discrete MLE of alpha from the samples >= xmin (Clauset et al. eq. 3.5: maximises
// -n ln zeta(alpha, xmin) - alpha sum ln x over alpha in (1, 10]). NaN when no sample.
double discrete_mle(std::span<const std::int64_t> samples, std::int64_t xmin);

// KS distance between the empirical distribution of the samples >= xmin and the discrete
// power law (alpha, xmin): the largest CDF difference over the support.
double ks_distance(std::span<const std::int64_t> samples, std::int64_t xmin, double alpha);

struct PowerLawFit {
    double alpha = 0;          // MLE exponent
    std::int64_t xmin = 0;     // fitted lower cut-off
    std::size_t n_tail = 0;    // samples >= xmin
    std::size_t n = 0;         // all samples
    double ks = 0;             // KS distance at the fit
    double sigma = 0;          // standard error (alpha - 1) / sqrt(n_tail) (Clauset eq. 3.2)
    // The ~95% interval alpha +- 1.96 sigma contains `value`.
    [[nodiscard]] bool consistent_with(double value, double z = 1.959964) const noexcept {
        return value >= alpha - z * sigma && value <= alpha + z * sigma;
    }
};

struct FitOptions {
    std::size_t min_tail = 50;        // candidate xmin keeps at least this many samples
    // Candidates below min_xmin are not tried: for data whose law is known to be a power law
    // only asymptotically (corrections O(1/x) at small x), the smallest x at which theory puts
    // the correction to the exponent well below its standard error.
    std::int64_t min_xmin = 1;
    std::int64_t max_xmin = 1000000;  // candidates above are not tried
};

// Clauset et al.'s method: every distinct value (with enough samples at or above it) is a
// candidate xmin; the fit is the candidate whose MLE law is closest in KS distance. Samples
// below 1 are ignored. Throws std::invalid_argument when no candidate has min_tail samples.
PowerLawFit fit_discrete(std::vector<std::int64_t> samples, const FitOptions& options = {});

// An exact draw from the discrete power law (alpha, xmin), by inversion of survival()
// (bracketing from the continuous approximation, then bisection).
std::int64_t sample_discrete(Rng& rng, double alpha, std::int64_t xmin);

}  // namespace resurgence::stats
