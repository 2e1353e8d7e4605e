#pragma once
// Derivative-free minimisation on the unit cube [0,1]^k: a Latin hypercube screen, then
// Nelder-Mead (Nelder & Mead 1965, standard coefficients: reflection 1, expansion 2,
// contraction 1/2, shrink 1/2) from the best point seen, with restarts from a fresh, smaller
// simplex after convergence. Points leaving the cube are projected back onto it.
//
// The search asks for its evaluations in batches (the screen, the first simplex, a shrink) so
// that a caller can run a batch's points in parallel. The sequence of points asked for is a pure
// function of the options and of the values returned: the same objective gives the same search
// whatever the thread count.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace resurgence::calibrate {

struct OptimizerOptions {
    int budget = 60;              // evaluations of the objective, at most
    int screen = 0;               // Latin hypercube points evaluated with the start point
    int restarts = 2;             // fresh simplices after convergence
    double initial_step = 0.25;   // first simplex edge, in unit-cube units; halved at each restart
    double x_tolerance = 1e-3;    // converged when every vertex is this close to the best...
    double f_tolerance = 1e-12;   // ...or the values differ by less than this
    std::uint64_t seed = 1;       // of the Latin hypercube
};

// Why a batch is asked for (trace.csv's `phase`).
enum class Phase { start, screen, simplex, reflect, expand, contract, shrink };
const char* name_of(Phase) noexcept;

// Evaluates points (each of size k, inside [0,1]^k; `phases[i]` says why point i is asked for)
// and returns one value per point; smaller is better. NaN counts as +infinity.
using BatchObjective = std::function<std::vector<double>(
    const std::vector<std::vector<double>>& points, const std::vector<Phase>& phases)>;

struct OptimizerResult {
    std::vector<double> x;  // best point seen
    double f = 0;           // its value
    int evaluations = 0;
    int iterations = 0;  // Nelder-Mead steps
    int restarts = 0;    // restarts used
    std::string stop;    // why the search stopped
};

// `start`: the first point (default: the centre of the cube).
OptimizerResult minimize(std::size_t k, const BatchObjective& objective, const OptimizerOptions& options,
                         std::optional<std::vector<double>> start = std::nullopt);

}  // namespace resurgence::calibrate
