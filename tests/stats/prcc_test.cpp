// Partial rank correlation and standardised regression on a model with known structure.
#include <catch2/catch.hpp>

#include <cmath>

#include "resurgence/core/rng.hpp"
#include "resurgence/stats/prcc.hpp"
#include "resurgence/sweep/design.hpp"

using namespace resurgence;

TEST_CASE("ranks average ties", "[stats][prcc]") {
    Eigen::VectorXd v(5);
    v << 3, 1, 3, 2, 10;
    const Eigen::VectorXd r = stats::ranks(v);
    CHECK(r[0] == 3.5);
    CHECK(r[1] == 1);
    CHECK(r[2] == 3.5);
    CHECK(r[3] == 2);
    CHECK(r[4] == 5);
}

TEST_CASE("PRCC finds the inputs that drive a monotonic model", "[stats][prcc]") {
    const Eigen::Index n = 300, k = 3;
    const Eigen::MatrixXd x = sweep::latin_hypercube(n, k, 17);
    Rng rng(4);
    Eigen::VectorXd y(n);
    // Increasing in x1 (non-linearly), decreasing in x2, nothing in x3.
    for (Eigen::Index i = 0; i < n; ++i) y[i] = std::exp(3 * x(i, 0)) - 5 * x(i, 1) + 0.3 * rng.normal();
    const auto res = stats::prcc(x, y, 300, 0.95, 2);
    REQUIRE(res.indices.size() == 3);
    CHECK(res.indices[0].prcc > 0.9);
    CHECK(res.indices[1].prcc < -0.8);
    CHECK(std::fabs(res.indices[2].prcc) < 0.15);
    CHECK(res.indices[0].p_value < 1e-6);
    CHECK(res.indices[2].p_value > 0.01);
    CHECK(res.indices[2].lo < 0);
    CHECK(res.indices[2].hi > 0);
    CHECK(res.indices[0].src > 0);
    CHECK(res.indices[1].src < 0);
    CHECK(res.r2 > 0.8);
    CHECK(res.rank_r2 > 0.8);
}
