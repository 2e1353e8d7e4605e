#include "resurgence/stats/morris.hpp"

#include <cmath>
#include <limits>

#include "resurgence/core/rng.hpp"
#include "resurgence/stats/sobol.hpp"
#include "resurgence/stats/summary.hpp"

namespace resurgence::stats {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline constexpr Purpose kBootstrap{"stats.morris.bootstrap"};

double mean_abs(const Eigen::MatrixXd& e, Eigen::Index col, const std::vector<Eigen::Index>& rows) {
    double s = 0;
    int n = 0;
    for (const Eigen::Index t : rows) {
        const double v = e(t, col);
        if (std::isnan(v)) continue;
        s += std::fabs(v);
        ++n;
    }
    return n > 0 ? s / n : kNaN;
}

}  // namespace

std::vector<MorrisIndex> morris_indices(const Eigen::MatrixXd& effects, int bootstrap,
                                        double level, std::uint64_t seed) {
    const Eigen::Index r = effects.rows(), k = effects.cols();
    std::vector<MorrisIndex> out(static_cast<std::size_t>(k));
    std::vector<Eigen::Index> all(static_cast<std::size_t>(r));
    for (Eigen::Index t = 0; t < r; ++t) all[static_cast<std::size_t>(t)] = t;
    for (Eigen::Index i = 0; i < k; ++i) {
        std::vector<double> ee;
        for (Eigen::Index t = 0; t < r; ++t)
            if (!std::isnan(effects(t, i))) ee.push_back(effects(t, i));
        auto& m = out[static_cast<std::size_t>(i)];
        m.effects = static_cast<int>(ee.size());
        m.mu = mean(ee);
        m.mu_star = mean_abs(effects, i, all);
        m.sigma = std::sqrt(variance(ee));
        m.mu_star_lo = m.mu_star_hi = kNaN;
    }
    if (bootstrap <= 0 || r == 0) return out;
    std::vector<std::vector<double>> boot(static_cast<std::size_t>(k));
    std::vector<Eigen::Index> rows(static_cast<std::size_t>(r));
    for (int b = 0; b < bootstrap; ++b) {
        Rng rng = make_stream(seed, 0, kBootstrap, static_cast<std::uint64_t>(b));
        for (auto& t : rows) t = static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(r)));
        for (Eigen::Index i = 0; i < k; ++i) boot[static_cast<std::size_t>(i)].push_back(mean_abs(effects, i, rows));
    }
    const double lo_p = (1 - level) / 2;
    for (Eigen::Index i = 0; i < k; ++i) {
        out[static_cast<std::size_t>(i)].mu_star_lo = percentile(boot[static_cast<std::size_t>(i)], lo_p);
        out[static_cast<std::size_t>(i)].mu_star_hi = percentile(boot[static_cast<std::size_t>(i)], 1 - lo_p);
    }
    return out;
}

}  // namespace resurgence::stats
