#pragma once
// Elementary-effects screening (Morris 1991) with the μ* of Campolongo, Cariboni & Saltelli
// (2007): for each input, the mean of the elementary effects (μ), the mean of their absolute
// values (μ*, the ranking measure) and their standard deviation (σ: non-linearity and
// interactions), with a bootstrap interval on μ* over trajectories.
//
// Morris, M. D. (1991). Factorial sampling plans for preliminary computational experiments.
// Technometrics 33:161-174. Campolongo, F., Cariboni, J. & Saltelli, A. (2007). An effective
// screening design for sensitivity analysis of large models. Env. Modelling & Software 22:1509.
#include <Eigen/Dense>

#include <cstdint>
#include <vector>

namespace resurgence::stats {

struct MorrisIndex {
    int effects = 0;  // elementary effects that were defined (not NaN)
    double mu, mu_star, sigma;
    double mu_star_lo, mu_star_hi;  // bootstrap percentile interval over trajectories
};

// `effects`: r x k, row t = the elementary effects of trajectory t, one per input, in unit-cube
// units (Δy / Δu); NaN = missing (a run with no value). Bootstrap resamples trajectories.
std::vector<MorrisIndex> morris_indices(const Eigen::MatrixXd& effects, int bootstrap = 1000,
                                        double level = 0.95, std::uint64_t seed = 1);

}  // namespace resurgence::stats
