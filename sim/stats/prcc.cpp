#include "resurgence/stats/prcc.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "resurgence/core/rng.hpp"
#include "resurgence/stats/sobol.hpp"
#include "resurgence/stats/summary.hpp"

namespace resurgence::stats {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline constexpr Purpose kBootstrap{"stats.prcc.bootstrap"};

// Columns standardised to mean 0, variance 1 (a constant column becomes all 0).
Eigen::MatrixXd standardise(const Eigen::MatrixXd& m) {
    Eigen::MatrixXd z = m.rowwise() - m.colwise().mean();
    for (Eigen::Index c = 0; c < z.cols(); ++c) {
        const double norm = z.col(c).norm();
        if (norm > 0) z.col(c) /= norm;
    }
    return z;
}

// PRCC of each input from the inverse of the correlation matrix of [ranks(x), ranks(y)]:
// PRCC_i = -P_iy / sqrt(P_ii P_yy). The pseudo-inverse keeps collinear designs finite.
Eigen::VectorXd prcc_from_ranks(const Eigen::MatrixXd& rx, const Eigen::VectorXd& ry, double* r2) {
    const Eigen::Index k = rx.cols();
    Eigen::MatrixXd all(rx.rows(), k + 1);
    all.leftCols(k) = rx;
    all.col(k) = ry;
    const Eigen::MatrixXd z = standardise(all);
    const Eigen::MatrixXd corr = z.transpose() * z;
    const Eigen::MatrixXd p = corr.completeOrthogonalDecomposition().pseudoInverse();
    Eigen::VectorXd out(k);
    for (Eigen::Index i = 0; i < k; ++i) {
        const double d = p(i, i) * p(k, k);
        out[i] = d > 0 ? std::clamp(-p(i, k) / std::sqrt(d), -1.0, 1.0) : kNaN;
    }
    if (r2 != nullptr) *r2 = p(k, k) > 0 ? 1 - 1 / p(k, k) : kNaN;  // R² = 1 - 1/P_yy
    return out;
}

Eigen::MatrixXd rank_columns(const Eigen::MatrixXd& x) {
    Eigen::MatrixXd r(x.rows(), x.cols());
    for (Eigen::Index c = 0; c < x.cols(); ++c) r.col(c) = ranks(x.col(c));
    return r;
}

}  // namespace

Eigen::VectorXd ranks(const Eigen::VectorXd& v) {
    const auto n = static_cast<std::size_t>(v.size());
    std::vector<Eigen::Index> order(n);
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return v[a] < v[b]; });
    Eigen::VectorXd r(v.size());
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j + 1 < n && v[order[j + 1]] == v[order[i]]) ++j;
        const double avg = (static_cast<double>(i) + static_cast<double>(j)) / 2 + 1;
        for (std::size_t t = i; t <= j; ++t) r[order[t]] = avg;
        i = j + 1;
    }
    return r;
}

PrccResult prcc(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, int bootstrap, double level,
                std::uint64_t seed) {
    const Eigen::Index n = x.rows(), k = x.cols();
    PrccResult res;
    res.samples = n;
    const Eigen::VectorXd est = prcc_from_ranks(rank_columns(x), ranks(y), &res.rank_r2);

    // SRC: regression of standardised y on standardised x.
    const Eigen::MatrixXd zx = standardise(x);
    Eigen::MatrixXd zy = standardise(y);
    const Eigen::VectorXd beta = zx.completeOrthogonalDecomposition().solve(zy.col(0));
    const double ss_res = (zy.col(0) - zx * beta).squaredNorm();
    const double ss_tot = zy.col(0).squaredNorm();
    res.r2 = ss_tot > 0 ? 1 - ss_res / ss_tot : kNaN;

    std::vector<std::vector<double>> boot(static_cast<std::size_t>(k));
    Eigen::MatrixXd bx(n, k);
    Eigen::VectorXd by(n);
    for (int b = 0; b < bootstrap && n > 0; ++b) {
        Rng rng = make_stream(seed, 0, kBootstrap, static_cast<std::uint64_t>(b));
        for (Eigen::Index t = 0; t < n; ++t) {
            const auto j = static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(n)));
            bx.row(t) = x.row(j);
            by[t] = y[j];
        }
        // Ranks are recomputed within the resample (the statistic is a function of the sample).
        const Eigen::VectorXd e = prcc_from_ranks(rank_columns(bx), ranks(by), nullptr);
        for (Eigen::Index i = 0; i < k; ++i) boot[static_cast<std::size_t>(i)].push_back(e[i]);
    }
    const double lo_p = (1 - level) / 2;
    const double dof = static_cast<double>(n - k - 1);
    for (Eigen::Index i = 0; i < k; ++i) {
        PrccIndex idx{};
        idx.prcc = est[i];
        idx.src = beta[i];
        idx.lo = bootstrap > 0 ? percentile(boot[static_cast<std::size_t>(i)], lo_p) : kNaN;
        idx.hi = bootstrap > 0 ? percentile(boot[static_cast<std::size_t>(i)], 1 - lo_p) : kNaN;
        if (dof > 0 && std::isfinite(idx.prcc)) {
            const double r = idx.prcc;
            const double t = std::fabs(r) >= 1 ? std::numeric_limits<double>::infinity()
                                               : r * std::sqrt(dof / (1 - r * r));
            idx.p_value = t_two_sided_p(t, dof);
        } else {
            idx.p_value = kNaN;
        }
        res.indices.push_back(idx);
    }
    return res;
}

}  // namespace resurgence::stats
