// Morris elementary effects on functions whose effects are known.
#include <catch2/catch.hpp>

#include <cmath>

#include "resurgence/stats/morris.hpp"
#include "resurgence/sweep/design.hpp"

using namespace resurgence;

namespace {

// Elementary effects of f over the trajectories of a Morris design, as analyze does.
template <class F>
Eigen::MatrixXd effects(const Eigen::MatrixXd& u, Eigen::Index r, Eigen::Index k, F f) {
    Eigen::MatrixXd ee = Eigen::MatrixXd::Constant(r, k, std::nan(""));
    for (Eigen::Index t = 0; t < r; ++t)
        for (Eigen::Index s = 1; s <= k; ++s) {
            const Eigen::Index p = t * (k + 1) + s;
            for (Eigen::Index i = 0; i < k; ++i) {
                const double du = u(p, i) - u(p - 1, i);
                if (du != 0) ee(t, i) = (f(u.row(p)) - f(u.row(p - 1))) / du;
            }
        }
    return ee;
}

}  // namespace

TEST_CASE("Morris on a linear function: mu* = |coefficient|, sigma = 0", "[stats][morris]") {
    const Eigen::Index r = 20, k = 3;
    const Eigen::MatrixXd u = sweep::morris_trajectories(r, k, 4, 5);
    const double c[3] = {3, -1, 0};
    const auto ee = effects(u, r, k, [&](const Eigen::RowVectorXd& x) {
        return c[0] * x(0) + c[1] * x(1) + c[2] * x(2);
    });
    const auto m = stats::morris_indices(ee, 200, 0.95, 3);
    REQUIRE(m.size() == 3);
    for (int i = 0; i < 3; ++i) {
        CHECK(m[static_cast<std::size_t>(i)].effects == r);
        CHECK(m[static_cast<std::size_t>(i)].mu_star == Approx(std::fabs(c[i])).margin(1e-9));
        CHECK(m[static_cast<std::size_t>(i)].mu == Approx(c[i]).margin(1e-9));
        CHECK(m[static_cast<std::size_t>(i)].sigma == Approx(0).margin(1e-9));
    }
}

TEST_CASE("Morris ranks the inputs of Sobol's g-function by importance", "[stats][morris]") {
    // g(x) = prod (|4 x_i - 2| + a_i) / (1 + a_i): the smaller a_i, the more x_i matters
    // (Saltelli et al. 2008, The Primer, §3.6). With a = (0, 1, 9, 99): x1 > x2 > x3 > x4.
    const Eigen::Index r = 100, k = 4;
    const double a[4] = {0, 1, 9, 99};
    const Eigen::MatrixXd u = sweep::morris_trajectories(r, k, 4, 9);
    const auto ee = effects(u, r, k, [&](const Eigen::RowVectorXd& x) {
        double g = 1;
        for (int i = 0; i < 4; ++i) g *= (std::fabs(4 * x(i) - 2) + a[i]) / (1 + a[i]);
        return g;
    });
    const auto m = stats::morris_indices(ee, 200, 0.95, 3);
    CHECK(m[0].mu_star > m[1].mu_star);
    CHECK(m[1].mu_star > m[2].mu_star);
    CHECK(m[2].mu_star > m[3].mu_star);
    // g is symmetric about 1/2 in every input: effects cancel in mu but not in mu*.
    CHECK(std::fabs(m[0].mu) < 0.5 * m[0].mu_star);
    CHECK(m[0].sigma > 0);
    for (const auto& x : m) {
        CHECK(x.mu_star_lo <= x.mu_star);
        CHECK(x.mu_star <= x.mu_star_hi);
    }
}

TEST_CASE("Morris skips missing effects", "[stats][morris]") {
    Eigen::MatrixXd ee(3, 1);
    ee << 1, std::nan(""), -3;
    const auto m = stats::morris_indices(ee, 0);
    CHECK(m[0].effects == 2);
    CHECK(m[0].mu == Approx(-1));
    CHECK(m[0].mu_star == Approx(2));
}
