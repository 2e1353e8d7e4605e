#pragma once
// Experimental designs on the unit cube [0,1]^k: rows are design points, columns inputs.
// Pure functions of their arguments (and seed), so a sweep expands to the same points on every
// machine, rank and shard. sweep/sweep.hpp maps the unit coordinates onto parameter values.
#include <Eigen/Dense>

#include <cstdint>
#include <vector>

namespace resurgence::sweep {

// Latin hypercube (McKay, Beckman & Conover 1979): each column has exactly one point in each of
// the n equal strata, at a uniform position inside it; strata are paired by random permutations.
Eigen::MatrixXd latin_hypercube(Eigen::Index n, Eigen::Index k, std::uint64_t seed);

// The first n points of the `dims`-dimensional Sobol sequence (Joe & Kuo 2008 direction
// numbers, via boost::random::sobol; the all-zero first point is not produced). dims <= 3667.
Eigen::MatrixXd sobol_sequence(Eigen::Index n, Eigen::Index dims);

// Saltelli (2010) scheme for first-order and total indices from n base samples: a 2k-dimensional
// Sobol sequence gives A (first k columns) and B (last k columns); AB_i is A with column i from B.
// Rows come grouped by base sample j: A_j, B_j, AB_j^1, ..., AB_j^k, i.e. n (k + 2) rows.
Eigen::MatrixXd saltelli(Eigen::Index n, Eigen::Index k);
// Row of sample j's role in saltelli(): 0 = A, 1 = B, 2 + i = AB_i.
inline Eigen::Index saltelli_row(Eigen::Index j, Eigen::Index k, Eigen::Index role) noexcept {
    return j * (k + 2) + role;
}

// Morris (1991) trajectories: r trajectories of k + 1 points on a grid of `levels` (even) values
// {0, 1/(levels-1), ..., 1}; each step moves one input, in a random order, by
// Δ = levels / (2 (levels - 1)) up or down. Rows t (k+1) ... t (k+1) + k are trajectory t.
Eigen::MatrixXd morris_trajectories(Eigen::Index r, Eigen::Index k, int levels, std::uint64_t seed);
double morris_delta(int levels) noexcept;

// n evenly spaced values from lo to hi inclusive (n >= 2; n == 1 gives lo); logspace spaces them
// evenly in log (lo, hi > 0). The end points are exactly lo and hi.
std::vector<double> linspace(double lo, double hi, int n);
std::vector<double> logspace(double lo, double hi, int n);

}  // namespace resurgence::sweep
