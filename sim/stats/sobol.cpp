#include "resurgence/stats/sobol.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "resurgence/core/rng.hpp"
#include "resurgence/stats/summary.hpp"

namespace resurgence::stats {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline constexpr Purpose kBootstrap{"stats.sobol.bootstrap"};
}  // namespace

double percentile(std::vector<double> values, double p) {
    std::erase_if(values, [](double v) { return std::isnan(v); });
    std::sort(values.begin(), values.end());
    return quantile_sorted(values, p);
}

void sobol_point_estimates(const Eigen::VectorXd& fa, const Eigen::VectorXd& fb,
                           const Eigen::MatrixXd& fab, const std::vector<Eigen::Index>& rows,
                           Eigen::VectorXd& s1, Eigen::VectorXd& st, double& variance) {
    const Eigen::Index k = fab.cols();
    const auto n = static_cast<double>(rows.size());
    // V over the 2N values of f(A) and f(B) (population variance, as in Saltelli 2010).
    // Two passes: outcomes such as supporters have large means and small spreads.
    double sum = 0;
    for (const Eigen::Index j : rows) sum += fa[j] + fb[j];
    const double m = sum / (2 * n);
    double ss = 0;
    for (const Eigen::Index j : rows) ss += (fa[j] - m) * (fa[j] - m) + (fb[j] - m) * (fb[j] - m);
    variance = ss / (2 * n);
    s1.resize(k);
    st.resize(k);
    for (Eigen::Index i = 0; i < k; ++i) {
        double first = 0, total = 0;
        for (const Eigen::Index j : rows) {
            first += fb[j] * (fab(j, i) - fa[j]);
            const double d = fa[j] - fab(j, i);
            total += d * d;
        }
        s1[i] = variance > 0 ? first / n / variance : kNaN;
        st[i] = variance > 0 ? total / (2 * n) / variance : kNaN;
    }
}

SobolResult sobol_indices(const Eigen::VectorXd& fa, const Eigen::VectorXd& fb,
                          const Eigen::MatrixXd& fab, int bootstrap, double level,
                          std::uint64_t seed) {
    const Eigen::Index n = fa.size();
    const Eigen::Index k = fab.cols();
    SobolResult r;
    r.samples = n;
    std::vector<Eigen::Index> rows(static_cast<std::size_t>(n));
    std::iota(rows.begin(), rows.end(), Eigen::Index{0});
    Eigen::VectorXd s1, st;
    sobol_point_estimates(fa, fb, fab, rows, s1, st, r.variance);

    std::vector<std::vector<double>> b1(static_cast<std::size_t>(k)), bt(static_cast<std::size_t>(k));
    Eigen::VectorXd bs1, bst;
    double bv = 0;
    for (int b = 0; b < bootstrap && n > 0; ++b) {
        // One stream per resample: the intervals do not depend on how many were asked before.
        Rng rng = make_stream(seed, 0, kBootstrap, static_cast<std::uint64_t>(b));
        for (auto& j : rows) j = static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(n)));
        sobol_point_estimates(fa, fb, fab, rows, bs1, bst, bv);
        for (Eigen::Index i = 0; i < k; ++i) {
            b1[static_cast<std::size_t>(i)].push_back(bs1[i]);
            bt[static_cast<std::size_t>(i)].push_back(bst[i]);
        }
    }
    const double lo_p = (1 - level) / 2, hi_p = 1 - lo_p;
    for (Eigen::Index i = 0; i < k; ++i) {
        const auto& x1 = b1[static_cast<std::size_t>(i)];
        const auto& xt = bt[static_cast<std::size_t>(i)];
        SobolIndex idx{};
        idx.s1 = s1[i];
        idx.st = st[i];
        if (bootstrap > 0) {
            idx.s1_lo = percentile(x1, lo_p);
            idx.s1_hi = percentile(x1, hi_p);
            idx.st_lo = percentile(xt, lo_p);
            idx.st_hi = percentile(xt, hi_p);
            idx.s1_se = std::sqrt(variance(x1));
            idx.st_se = std::sqrt(variance(xt));
        } else {
            idx.s1_lo = idx.s1_hi = idx.st_lo = idx.st_hi = idx.s1_se = idx.st_se = kNaN;
        }
        r.indices.push_back(idx);
    }
    return r;
}

}  // namespace resurgence::stats
