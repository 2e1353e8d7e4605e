// Unit-cube designs: Latin hypercube strata, Sobol/Saltelli structure, Morris trajectories.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "resurgence/sweep/design.hpp"

using namespace resurgence;

TEST_CASE("Latin hypercube has one point per stratum in every column", "[sweep][design]") {
    const Eigen::Index n = 50, k = 4;
    const Eigen::MatrixXd m = sweep::latin_hypercube(n, k, 123);
    for (Eigen::Index c = 0; c < k; ++c) {
        std::set<long> strata;
        for (Eigen::Index i = 0; i < n; ++i) {
            CHECK(m(i, c) >= 0);
            CHECK(m(i, c) < 1);
            strata.insert(static_cast<long>(std::floor(m(i, c) * static_cast<double>(n))));
        }
        CHECK(strata.size() == static_cast<std::size_t>(n));
    }
    CHECK(m == sweep::latin_hypercube(n, k, 123));  // deterministic
    CHECK(m != sweep::latin_hypercube(n, k, 124));
    // Adding a column does not move the others.
    CHECK(sweep::latin_hypercube(n, k + 1, 123).leftCols(k) == m);
}

TEST_CASE("Sobol sequence starts after the zero and centre points and fills the cube",
          "[sweep][design]") {
    const Eigen::MatrixXd s = sweep::sobol_sequence(8, 2);
    // Boost's sequence skips the origin; the centre (1/2, 1/2) is skipped here too (it would
    // make A_0 = B_0 in the Saltelli scheme). Next come (3/4, 1/4) and (1/4, 3/4).
    CHECK(s(0, 0) == 0.75);
    CHECK(s(0, 1) == 0.25);
    CHECK(s(1, 0) == 0.25);
    CHECK(s(1, 1) == 0.75);
    // The first 2^3 points of the sequence (origin and centre included) fill the 8 strata of
    // each column: the 6 returned first take the 6 strata other than those of 0 and 1/2.
    for (Eigen::Index d = 0; d < 2; ++d) {
        std::set<int> strata;
        for (Eigen::Index i = 0; i < 6; ++i) strata.insert(static_cast<int>(s(i, d) * 8));
        CHECK(strata.size() == 6);
        CHECK(strata.count(0) == 0);
        CHECK(strata.count(4) == 0);
    }
}

TEST_CASE("Saltelli rows: A, B, then A with one column from B", "[sweep][design]") {
    const Eigen::Index n = 16, k = 3;
    const Eigen::MatrixXd m = sweep::saltelli(n, k);
    REQUIRE(m.rows() == n * (k + 2));
    const Eigen::MatrixXd base = sweep::sobol_sequence(n, 2 * k);
    for (Eigen::Index j = 0; j < n; ++j) {
        const auto a = m.row(sweep::saltelli_row(j, k, 0));
        const auto b = m.row(sweep::saltelli_row(j, k, 1));
        CHECK(a == base.row(j).head(k));
        CHECK(b == base.row(j).tail(k));
        for (Eigen::Index i = 0; i < k; ++i) {
            const auto ab = m.row(sweep::saltelli_row(j, k, 2 + i));
            for (Eigen::Index c = 0; c < k; ++c) CHECK(ab(c) == (c == i ? b(c) : a(c)));
        }
    }
}

TEST_CASE("Morris trajectories move one input by delta at each step", "[sweep][design]") {
    const Eigen::Index r = 30, k = 5;
    const int levels = 4;
    const double delta = sweep::morris_delta(levels);
    CHECK(delta == Approx(2.0 / 3.0));
    const Eigen::MatrixXd m = sweep::morris_trajectories(r, k, levels, 77);
    REQUIRE(m.rows() == r * (k + 1));
    for (Eigen::Index t = 0; t < r; ++t) {
        std::set<Eigen::Index> moved;
        for (Eigen::Index s = 1; s <= k; ++s) {
            const auto prev = m.row(t * (k + 1) + s - 1), cur = m.row(t * (k + 1) + s);
            int changed = 0;
            for (Eigen::Index i = 0; i < k; ++i) {
                CHECK(cur(i) >= 0);
                CHECK(cur(i) <= 1);
                // On the grid {0, 1/3, 2/3, 1}.
                CHECK(std::fabs(cur(i) * (levels - 1) - std::round(cur(i) * (levels - 1))) < 1e-12);
                if (cur(i) != prev(i)) {
                    ++changed;
                    moved.insert(i);
                    CHECK(std::fabs(cur(i) - prev(i)) == Approx(delta));
                }
            }
            CHECK(changed == 1);
        }
        CHECK(moved.size() == static_cast<std::size_t>(k));  // every input moves once
    }
}

TEST_CASE("linspace and logspace hit their ends exactly", "[sweep][design]") {
    const auto l = sweep::linspace(0.1, 0.5, 5);
    REQUIRE(l.size() == 5);
    CHECK(l.front() == 0.1);
    CHECK(l.back() == 0.5);
    CHECK(l[2] == Approx(0.3));
    const auto g = sweep::logspace(1, 1000, 4);
    CHECK(g.front() == 1);
    CHECK(g.back() == 1000);
    CHECK(g[1] == Approx(10));
    CHECK(g[2] == Approx(100));
}
