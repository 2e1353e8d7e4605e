#include "resurgence/sweep/design.hpp"

#include <boost/random/sobol.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "resurgence/core/rng.hpp"

namespace resurgence::sweep {
namespace {
inline constexpr Purpose kLhs{"sweep.design.lhs"};
inline constexpr Purpose kMorris{"sweep.design.morris"};

// Fisher-Yates with an unbiased bounded draw.
void shuffle(std::vector<Eigen::Index>& v, Rng& rng) {
    for (std::size_t i = v.size(); i > 1; --i) {
        const auto j = static_cast<std::size_t>(rng.below(i));
        std::swap(v[i - 1], v[j]);
    }
}
}  // namespace

Eigen::MatrixXd latin_hypercube(Eigen::Index n, Eigen::Index k, std::uint64_t seed) {
    Eigen::MatrixXd m(n, k);
    std::vector<Eigen::Index> perm(static_cast<std::size_t>(n));
    for (Eigen::Index c = 0; c < k; ++c) {
        // One stream per column: adding a parameter does not move the others' points.
        Rng rng = make_stream(seed, 0, kLhs, static_cast<std::uint64_t>(c));
        std::iota(perm.begin(), perm.end(), Eigen::Index{0});
        shuffle(perm, rng);
        for (Eigen::Index i = 0; i < n; ++i)
            m(i, c) = (static_cast<double>(perm[static_cast<std::size_t>(i)]) + rng.uniform()) /
                      static_cast<double>(n);
    }
    return m;
}

Eigen::MatrixXd sobol_sequence(Eigen::Index n, Eigen::Index dims) {
    Eigen::MatrixXd m(n, dims);
    if (n == 0 || dims == 0) return m;
    boost::random::sobol gen(static_cast<std::size_t>(dims));
    // The sequence's first point is the centre (1/2, …, 1/2) in every dimension: in the
    // Saltelli scheme it would make A_0 = B_0, a base sample that adds nothing to the
    // estimators' numerators but counts in N and V (S1 and ST biased low by 1/N). Skipped, as
    // SALib does.
    gen.discard(static_cast<std::uintmax_t>(dims));
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index d = 0; d < dims; ++d)
            // 64-bit outputs: the top 53 bits make a double in [0,1) exactly.
            m(i, d) = static_cast<double>(gen() >> 11) * 0x1.0p-53;
    return m;
}

Eigen::MatrixXd saltelli(Eigen::Index n, Eigen::Index k) {
    const Eigen::MatrixXd base = sobol_sequence(n, 2 * k);
    Eigen::MatrixXd m(n * (k + 2), k);
    for (Eigen::Index j = 0; j < n; ++j) {
        const auto a = base.row(j).head(k);
        const auto b = base.row(j).tail(k);
        m.row(saltelli_row(j, k, 0)) = a;
        m.row(saltelli_row(j, k, 1)) = b;
        for (Eigen::Index i = 0; i < k; ++i) {
            auto row = m.row(saltelli_row(j, k, 2 + i));
            row = a;
            row(i) = b(i);
        }
    }
    return m;
}

double morris_delta(int levels) noexcept {
    return static_cast<double>(levels) / (2.0 * static_cast<double>(levels - 1));
}

Eigen::MatrixXd morris_trajectories(Eigen::Index r, Eigen::Index k, int levels, std::uint64_t seed) {
    const double delta = morris_delta(levels);
    const double step = 1.0 / static_cast<double>(levels - 1);
    // Base values x* lie on the grid with x* + Δ <= 1: levels / 2 choices.
    const auto base_choices = static_cast<std::uint64_t>(levels / 2);
    Eigen::MatrixXd m(r * (k + 1), k);
    std::vector<Eigen::Index> order(static_cast<std::size_t>(k));
    for (Eigen::Index t = 0; t < r; ++t) {
        Rng rng = make_stream(seed, 0, kMorris, static_cast<std::uint64_t>(t));
        Eigen::RowVectorXd x(k), dir(k);
        for (Eigen::Index i = 0; i < k; ++i) {
            const double lo = static_cast<double>(rng.below(base_choices)) * step;
            const bool up = rng.below(2) == 0;
            dir(i) = up ? 1.0 : -1.0;
            x(i) = up ? lo : lo + delta;  // start at the end the input moves away from
        }
        std::iota(order.begin(), order.end(), Eigen::Index{0});
        shuffle(order, rng);
        const Eigen::Index row0 = t * (k + 1);
        m.row(row0) = x;
        for (Eigen::Index s = 0; s < k; ++s) {
            const Eigen::Index i = order[static_cast<std::size_t>(s)];
            x(i) += dir(i) * delta;
            // Snap to the grid: j/(levels-1) exactly, whatever the rounding of x + Δ.
            x(i) = std::round(x(i) / step) * step;
            m.row(row0 + s + 1) = x;
        }
        // Snap the starting row too (lo + Δ is a grid value up to rounding).
        for (Eigen::Index s = 0; s <= k; ++s)
            for (Eigen::Index i = 0; i < k; ++i)
                m(row0 + s, i) = std::clamp(std::round(m(row0 + s, i) / step) * step, 0.0, 1.0);
    }
    return m;
}

std::vector<double> linspace(double lo, double hi, int n) {
    std::vector<double> v(static_cast<std::size_t>(std::max(n, 1)), lo);
    for (int i = 1; i < n; ++i)
        v[static_cast<std::size_t>(i)] =
            i == n - 1 ? hi : lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(n - 1);
    return v;
}

std::vector<double> logspace(double lo, double hi, int n) {
    std::vector<double> v(static_cast<std::size_t>(std::max(n, 1)), lo);
    const double a = std::log(lo), b = std::log(hi);
    for (int i = 1; i < n; ++i)
        v[static_cast<std::size_t>(i)] =
            i == n - 1 ? hi : std::exp(a + (b - a) * static_cast<double>(i) / static_cast<double>(n - 1));
    return v;
}

}  // namespace resurgence::sweep
