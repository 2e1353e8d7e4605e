#include "resurgence/sweep/analyze.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <Eigen/Dense>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <numeric>

#include "resurgence/core/error.hpp"
#include "resurgence/output/files.hpp"
#include "resurgence/output/recorder.hpp"
#include "resurgence/stats/morris.hpp"
#include "resurgence/stats/prcc.hpp"
#include "resurgence/stats/sobol.hpp"
#include "resurgence/sweep/executor.hpp"

namespace resurgence::sweep {
namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out;
    std::size_t a = 0;
    for (;;) {
        const std::size_t b = line.find(',', a);
        out.push_back(line.substr(a, b - a));
        if (b == std::string::npos) return out;
        a = b + 1;
    }
}

double to_number(const std::string& s) {
    if (s.empty()) return kNaN;
    double v = 0;
    const char* b = s.data();
    if (*b == '+') ++b;
    const auto r = std::from_chars(b, s.data() + s.size(), v);
    return r.ec == std::errc{} && r.ptr == s.data() + s.size() ? v : kNaN;
}

// A CSV as columns of text, by header name.
struct Table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    [[nodiscard]] int column(const std::string& name) const {
        const auto it = std::find(header.begin(), header.end(), name);
        return it == header.end() ? -1 : static_cast<int>(it - header.begin());
    }
};

Table read_table(const fs::path& path, const std::string& what) {
    std::ifstream in(path);
    if (!in)
        throw InputError(std::vector<Problem>{Problem{
            path.string(), 0, 0, {},
            fmt::format("cannot read {}: {}", what,
                        what == "sweep_summary.csv"
                            ? "the sweep is not complete (run it to the end, or merge its shards)"
                            : "not a sweep folder")}});
    Table t;
    std::string line;
    if (std::getline(in, line)) t.header = split(line);
    while (std::getline(in, line)) {
        t.rows.push_back(split(line));
        if (t.rows.back().size() != t.header.size())
            throw InputError(std::vector<Problem>{Problem{
                path.string(), static_cast<int>(t.rows.size() + 1), 0, {},
                fmt::format("{} cells, the header has {}", t.rows.back().size(), t.header.size())}});
    }
    return t;
}

std::string num(double v) { return std::isnan(v) ? std::string() : fmt::format("{:.6g}", v); }
std::string shown(double v) { return std::isnan(v) ? std::string("-") : fmt::format("{:.3f}", v); }

// The ranks of `key` in decreasing order (NaN last), 1-based.
std::vector<int> rank_desc(const std::vector<double>& key) {
    std::vector<std::size_t> order(key.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const double x = std::isnan(key[a]) ? -1e300 : key[a];
        const double y = std::isnan(key[b]) ? -1e300 : key[b];
        return x > y;
    });
    std::vector<int> rank(key.size());
    for (std::size_t i = 0; i < order.size(); ++i) rank[order[i]] = static_cast<int>(i) + 1;
    return rank;
}

std::vector<std::size_t> by_rank(const std::vector<int>& rank) {
    std::vector<std::size_t> order(rank.size());
    for (std::size_t i = 0; i < rank.size(); ++i) order[static_cast<std::size_t>(rank[i] - 1)] = i;
    return order;
}

struct Inputs {
    SweepInfo info;
    Table design;
    Table summary;
    std::vector<std::string> outcomes;  // to analyse
};

}  // namespace

AnalyzeReport analyze_sweep(const fs::path& dir, const AnalyzeOptions& o) {
    Inputs in;
    in.info = read_sweep_info(dir);
    in.design = read_table(dir / "design.csv", "design.csv");
    in.summary = read_table(dir / "sweep_summary.csv", "sweep_summary.csv");
    const auto& params = in.info.parameters;
    const std::size_t k = params.size();
    const auto points = static_cast<std::size_t>(in.info.points);
    if (in.design.rows.size() != points || in.summary.rows.size() != points)
        throw InputError(std::vector<Problem>{Problem{
            dir.string(), 0, 0, {},
            fmt::format("design.csv has {} rows and sweep_summary.csv {}, sweep.json says {} points",
                        in.design.rows.size(), in.summary.rows.size(), points)}});

    Method method = o.method;
    if (method == Method::automatic)
        method = in.info.design == "sobol" ? Method::sobol : in.info.design == "morris" ? Method::morris : Method::prcc;
    if (method == Method::sobol && in.info.design != "sobol")
        throw InputError(fmt::format("Sobol indices need a sobol design (this sweep is {}): use "
                                     "design: sobol, or --method prcc",
                                     in.info.design));
    if (method == Method::morris && in.info.design != "morris")
        throw InputError(fmt::format("Morris indices need a morris design (this sweep is {}): use "
                                     "design: morris, or --method prcc",
                                     in.info.design));

    // Outcomes: as asked, or all.
    std::vector<std::string> outcomes = o.outcomes;
    if (outcomes.empty()) outcomes = in.info.outcomes;
    for (const auto& name : outcomes)
        if (in.summary.column(name + "_mean") < 0)
            throw InputError(fmt::format("no outcome '{}' in this sweep (outcomes: {})", name,
                                         fmt::join(in.info.outcomes, ", ")));

    auto y_of = [&](const std::string& outcome) {
        const int c = in.summary.column(outcome + "_mean");
        Eigen::VectorXd y(static_cast<Eigen::Index>(points));
        for (std::size_t p = 0; p < points; ++p)
            y[static_cast<Eigen::Index>(p)] = to_number(in.summary.rows[p][static_cast<std::size_t>(c)]);
        return y;
    };

    AnalyzeReport rep;
    std::string csv, text;
    auto tx = std::back_inserter(text);
    const std::string level = fmt::format("{:.0f}%", 100 * o.level);

    if (method == Method::sobol) {
        rep.method = "sobol";
        const std::size_t n = points / (k + 2);
        csv = "outcome,parameter,S1,S1_lo,S1_hi,ST,ST_lo,ST_hi,rank,samples\n";
        for (const auto& outcome : outcomes) {
            const Eigen::VectorXd y = y_of(outcome);
            std::vector<Eigen::Index> keep;
            for (std::size_t j = 0; j < n; ++j) {
                bool ok = true;
                for (std::size_t r = 0; r < k + 2; ++r) ok = ok && !std::isnan(y[static_cast<Eigen::Index>(j * (k + 2) + r)]);
                if (ok) keep.push_back(static_cast<Eigen::Index>(j));
            }
            if (keep.size() < 2) {
                fmt::format_to(tx, "{}: not enough values ({} of {} base samples complete)\n\n", outcome, keep.size(), n);
                continue;
            }
            const auto nk = static_cast<Eigen::Index>(keep.size());
            const auto kk = static_cast<Eigen::Index>(k);
            Eigen::VectorXd fa(nk), fb(nk);
            Eigen::MatrixXd fab(nk, kk);
            for (Eigen::Index t = 0; t < nk; ++t) {
                const Eigen::Index base = keep[static_cast<std::size_t>(t)] * (kk + 2);
                fa[t] = y[base];
                fb[t] = y[base + 1];
                for (Eigen::Index i = 0; i < kk; ++i) fab(t, i) = y[base + 2 + i];
            }
            // Constant: every value the same (tested exactly: the estimated variance of a
            // constant outcome is a rounding residue, not 0).
            const double lo = std::min({fa.minCoeff(), fb.minCoeff(), fab.minCoeff()});
            const double hi = std::max({fa.maxCoeff(), fb.maxCoeff(), fab.maxCoeff()});
            if (!(hi > lo)) {
                fmt::format_to(tx, "{}: constant over the design (no variance to apportion)\n\n", outcome);
                continue;
            }
            const auto res = stats::sobol_indices(fa, fb, fab, o.bootstrap, o.level, o.seed);
            if (!(res.variance > 0)) {
                fmt::format_to(tx, "{}: constant over the design (no variance to apportion)\n\n", outcome);
                continue;
            }
            std::vector<double> st;
            for (const auto& s : res.indices) st.push_back(s.st);
            const auto rank = rank_desc(st);
            fmt::format_to(tx, "{}  (Sobol indices, N = {} base samples{}, {} bootstrap intervals)\n",
                           outcome, keep.size(), keep.size() < n ? fmt::format(" of {}", n) : "", level);
            fmt::format_to(tx, "  {:>4}  {:<32} {:>8} {:>18} {:>8} {:>18}\n", "rank", "parameter", "S1",
                           "S1 interval", "ST", "ST interval");
            for (const std::size_t i : by_rank(rank)) {
                const auto& s = res.indices[i];
                fmt::format_to(tx, "  {:>4}  {:<32} {:>8} {:>18} {:>8} {:>18}\n", rank[i], params[i], shown(s.s1),
                               fmt::format("[{}, {}]", shown(s.s1_lo), shown(s.s1_hi)), shown(s.st),
                               fmt::format("[{}, {}]", shown(s.st_lo), shown(s.st_hi)));
                csv += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", outcome, params[i], num(s.s1), num(s.s1_lo),
                                   num(s.s1_hi), num(s.st), num(s.st_lo), num(s.st_hi), rank[i], keep.size());
            }
            text += "\n";
        }
    } else if (method == Method::morris) {
        rep.method = "morris";
        const std::size_t r = points / (k + 1);
        // The unit coordinates tell which input each step moved, and by how much.
        std::vector<int> ucol(k);
        for (std::size_t i = 0; i < k; ++i) {
            ucol[i] = in.design.column("u." + params[i]);
            if (ucol[i] < 0) throw InputError(fmt::format("design.csv has no column u.{}", params[i]));
        }
        auto u = [&](std::size_t p, std::size_t i) {
            return to_number(in.design.rows[p][static_cast<std::size_t>(ucol[i])]);
        };
        csv = "outcome,parameter,mu,mu_star,mu_star_lo,mu_star_hi,sigma,effects,rank\n";
        for (const auto& outcome : outcomes) {
            const Eigen::VectorXd y = y_of(outcome);
            Eigen::MatrixXd ee = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(k), kNaN);
            for (std::size_t t = 0; t < r; ++t)
                for (std::size_t s = 1; s <= k; ++s) {
                    const std::size_t p = t * (k + 1) + s;
                    for (std::size_t i = 0; i < k; ++i) {
                        const double du = u(p, i) - u(p - 1, i);
                        if (du == 0) continue;
                        ee(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(i)) =
                            (y[static_cast<Eigen::Index>(p)] - y[static_cast<Eigen::Index>(p - 1)]) / du;
                    }
                }
            const auto res = stats::morris_indices(ee, o.bootstrap, o.level, o.seed);
            std::vector<double> key;
            for (const auto& m : res) key.push_back(m.mu_star);
            if (std::all_of(key.begin(), key.end(), [](double v) { return std::isnan(v); })) {
                fmt::format_to(tx, "{}: not enough values\n\n", outcome);
                continue;
            }
            const auto rank = rank_desc(key);
            fmt::format_to(tx, "{}  (Morris elementary effects, r = {} trajectories, per unit of each "
                               "parameter's range; {} bootstrap interval on mu*)\n",
                           outcome, r, level);
            fmt::format_to(tx, "  {:>4}  {:<32} {:>12} {:>26} {:>12} {:>12}\n", "rank", "parameter", "mu*",
                           "mu* interval", "mu", "sigma");
            for (const std::size_t i : by_rank(rank)) {
                const auto& m = res[i];
                fmt::format_to(tx, "  {:>4}  {:<32} {:>12} {:>26} {:>12} {:>12}\n", rank[i], params[i],
                               num(m.mu_star), fmt::format("[{}, {}]", num(m.mu_star_lo), num(m.mu_star_hi)),
                               num(m.mu), num(m.sigma));
                csv += fmt::format("{},{},{},{},{},{},{},{},{}\n", outcome, params[i], num(m.mu), num(m.mu_star),
                                   num(m.mu_star_lo), num(m.mu_star_hi), num(m.sigma), m.effects, rank[i]);
            }
            text += "\n";
        }
    } else {
        rep.method = "prcc";
        // Inputs as numbers; a parameter of words is coded by the order its values first appear.
        Eigen::MatrixXd x(static_cast<Eigen::Index>(points), static_cast<Eigen::Index>(k));
        std::vector<bool> varies(k, false), coded(k, false);
        for (std::size_t i = 0; i < k; ++i) {
            const int c = in.design.column(params[i]);
            std::map<std::string, double> codes;
            for (std::size_t p = 0; p < points; ++p) {
                const std::string& cell = in.design.rows[p][static_cast<std::size_t>(c)];
                double v = to_number(cell);
                if (std::isnan(v)) {
                    coded[i] = true;
                    v = codes.emplace(cell, static_cast<double>(codes.size())).first->second;
                }
                x(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(i)) = v;
            }
            varies[i] = x.col(static_cast<Eigen::Index>(i)).maxCoeff() > x.col(static_cast<Eigen::Index>(i)).minCoeff();
            if (coded[i]) spdlog::warn("{} takes words: coded 0, 1, ... in order of appearance for PRCC", params[i]);
        }
        std::vector<std::size_t> used;
        for (std::size_t i = 0; i < k; ++i)
            if (varies[i]) used.push_back(i);
        csv = "outcome,parameter,prcc,prcc_lo,prcc_hi,p_value,src,rank,samples\n";
        for (const auto& outcome : outcomes) {
            const Eigen::VectorXd y = y_of(outcome);
            std::vector<Eigen::Index> rows;
            for (Eigen::Index p = 0; p < y.size(); ++p)
                if (!std::isnan(y[p])) rows.push_back(p);
            const auto n = static_cast<Eigen::Index>(rows.size());
            const auto ku = static_cast<Eigen::Index>(used.size());
            if (n < ku + 3 || ku == 0) {
                fmt::format_to(tx, "{}: not enough values ({} points with a value, {} parameters)\n\n", outcome, n, ku);
                continue;
            }
            Eigen::MatrixXd xs(n, ku);
            Eigen::VectorXd ys(n);
            for (Eigen::Index t = 0; t < n; ++t) {
                ys[t] = y[rows[static_cast<std::size_t>(t)]];
                for (Eigen::Index i = 0; i < ku; ++i) xs(t, i) = x(rows[static_cast<std::size_t>(t)], static_cast<Eigen::Index>(used[static_cast<std::size_t>(i)]));
            }
            if (!(ys.maxCoeff() > ys.minCoeff())) {
                fmt::format_to(tx, "{}: constant over the design\n\n", outcome);
                continue;
            }
            const auto res = stats::prcc(xs, ys, o.bootstrap, o.level, o.seed);
            std::vector<double> key;
            for (const auto& p : res.indices) key.push_back(std::fabs(p.prcc));
            const auto rank = rank_desc(key);
            fmt::format_to(tx, "{}  (PRCC over {} points, {} bootstrap intervals; SRC R^2 = {}, "
                               "rank regression R^2 = {})\n",
                           outcome, n, level, shown(res.r2), shown(res.rank_r2));
            fmt::format_to(tx, "  {:>4}  {:<32} {:>8} {:>18} {:>10} {:>8}\n", "rank", "parameter", "PRCC",
                           "interval", "p-value", "SRC");
            for (const std::size_t i : by_rank(rank)) {
                const auto& p = res.indices[i];
                const std::string& name = params[used[i]];
                fmt::format_to(tx, "  {:>4}  {:<32} {:>8} {:>18} {:>10} {:>8}\n", rank[i], name, shown(p.prcc),
                               fmt::format("[{}, {}]", shown(p.lo), shown(p.hi)),
                               std::isnan(p.p_value) ? std::string("-") : fmt::format("{:.2g}", p.p_value),
                               shown(p.src));
                csv += fmt::format("{},{},{},{},{},{},{},{},{}\n", outcome, name, num(p.prcc), num(p.lo), num(p.hi),
                                   num(p.p_value), num(p.src), rank[i], n);
            }
            text += "\n";
        }
        for (std::size_t i = 0; i < k; ++i)
            if (!varies[i]) fmt::format_to(tx, "({} takes one value in this design: left out)\n", params[i]);
    }
    rep.file = o.out_file.empty()
                   ? dir / (rep.method == "sobol" ? "sobol_indices.csv" : rep.method == "morris" ? "morris_indices.csv" : "prcc.csv")
                   : o.out_file;
    write_file_atomic(rep.file, csv);
    rep.text = std::move(text);
    return rep;
}

}  // namespace resurgence::sweep
