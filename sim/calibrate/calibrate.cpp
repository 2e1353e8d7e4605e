// Calibration: targets resolved against the scenario, candidates evaluated with common random
// numbers on a thread pool, the optimiser driving (calibrate.hpp, docs/calibration.md).
#include "resurgence/calibrate/calibrate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <thread>

#include "resurgence/core/error.hpp"
#include "resurgence/output/indicators.hpp"
#include "resurgence/run/runner.hpp"
#include "resurgence/scenario/loader.hpp"
#include "resurgence/stats/summary.hpp"
#include "resurgence/sweep/spec.hpp"

namespace resurgence::calibrate {
namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

std::string file_of(const doc::Mark& m, const std::string& fallback) { return m.file ? *m.file : fallback; }

// A problem the loader found in override n (1-based, "<override n>") is reported at the targets
// file line that produced it.
struct Source {
    doc::Mark mark;
    std::string path;
};

void map_load_problems(const InputError& e, const std::vector<std::string>& overrides,
                       const std::vector<Source>& sources, const std::string& targets_file,
                       const std::string& scenario, doc::Problems& problems) {
    for (const auto& prob : e.problems()) {
        int n = 0;
        if (std::sscanf(prob.file.c_str(), "<override %d>", &n) == 1 && n >= 1 &&
            static_cast<std::size_t>(n) <= sources.size() && sources[static_cast<std::size_t>(n) - 1].mark.line > 0) {
            const Source& src = sources[static_cast<std::size_t>(n) - 1];
            problems.add(Problem{file_of(src.mark, targets_file), src.mark.line, src.mark.column, src.path,
                                 fmt::format("{} is rejected by the scenario {}: {}{}",
                                             overrides[static_cast<std::size_t>(n) - 1], scenario,
                                             prob.path.empty() ? "" : prob.path + ": ", prob.message)});
        } else {
            problems.add(prob);
        }
    }
}

int resolve_day(const DayRef& d, const ScenarioSpec& s, const std::string& path, doc::Problems& problems,
                const std::string& targets_file) {
    long day = 0;
    if (d.day) {
        day = static_cast<long>(*d.day);
    } else {
        day = Date::parse(d.date)->serial() - s.start.serial();
    }
    if (day < 0 || day >= s.horizon_days) {
        problems.add(Problem{file_of(d.mark, targets_file), d.mark.line, d.mark.column, path,
                             fmt::format("{} is outside the scenario's days 0 to {} ({} to {})",
                                         d.day ? fmt::format("day {}", *d.day) : d.date, s.horizon_days - 1,
                                         s.start.iso(), s.date_of(s.horizon_days - 1).iso())});
        return -1;
    }
    return static_cast<int>(day);
}

std::string round_sig(double v, int digits) {
    return sweep::format_value(std::stod(fmt::format("{:.{}g}", v, digits)));
}

}  // namespace

Calibration Calibration::prepare(const std::string& targets_file, const CalibrateOptions& options) {
    return prepare(read_targets_file(targets_file), options);
}

Calibration Calibration::prepare(TargetsSpec spec, const CalibrateOptions& options) {
    Calibration c;
    c.spec_ = std::move(spec);
    c.options_ = options;
    const TargetsSpec& t = c.spec_;
    if (!options.scenario.empty()) {
        c.scenario_file_ = options.scenario;
    } else if (!t.scenario.empty()) {
        c.scenario_file_ = t.scenario_path.string();
    } else {
        throw InputError(std::vector<Problem>{Problem{
            t.file, 0, 0, "scenario",
            "no scenario to calibrate: give the scenario file on the command line "
            "(resurgence calibrate FILE --targets TARGETS.yaml) or 'scenario:' in the targets file"}});
    }
    // The base: fixed overrides and the seed; read the scenario's own seed first when needed.
    std::vector<std::string> fixed = t.overrides;
    std::vector<Source> sources;
    for (std::size_t i = 0; i < t.overrides.size(); ++i)
        sources.push_back({t.override_marks[i], fmt::format("overrides[{}]", i)});
    doc::Problems problems;
    {
        LoadOptions lo;
        lo.overrides = fixed;
        try {
            c.base_ = load_scenario(c.scenario_file_, lo);
        } catch (const InputError& e) {
            map_load_problems(e, lo.overrides, sources, t.file, c.scenario_file_, problems);
            problems.finish();
        }
    }
    c.seed_ = options.seed.value_or(t.seed.value_or(c.base_.seed));
    c.replications_ = options.replications.value_or(t.replications.value_or(c.base_.replications));
    if (c.replications_ < 2)
        throw InputError(std::vector<Problem>{Problem{
            t.file, 0, 0, "replications",
            fmt::format("calibration needs at least 2 replications per candidate for a 95% interval "
                        "(the scenario gives {}): set 'replications:' in the targets file or -r",
                        c.replications_)}});
    c.budget_ = options.budget.value_or(t.budget.value_or(kDefaultBudget));
    if (c.budget_ < 1) throw InputError("calibrate: --budget must be at least 1");
    const auto k = static_cast<int>(t.parameters.size());
    // Default screen: 4 points a parameter, at most a third of the budget.
    c.screen_ = std::clamp(t.screen.value_or(std::min(4 * k, c.budget_ / 3)), 0, std::max(0, c.budget_ - 1));
    fixed.push_back(fmt::format("seed={}", c.seed_));
    sources.push_back({doc::Mark{}, "seed"});
    {
        LoadOptions lo;
        lo.overrides = fixed;
        c.base_ = load_scenario(c.scenario_file_, lo);
    }

    // Every parameter value is checked against the scenario: all at min, all at max, and the
    // given starts (with the other parameters at min). Values in between pass the same bounds.
    const bool any_start = std::any_of(t.parameters.begin(), t.parameters.end(),
                                       [](const FreeParameter& p) { return p.start.has_value(); });
    for (int round = 0; round < (any_start ? 3 : 2); ++round) {
        LoadOptions lo;
        lo.overrides = fixed;
        std::vector<Source> src = sources;
        for (std::size_t i = 0; i < t.parameters.size(); ++i) {
            const auto& p = t.parameters[i];
            const bool at_start = round == 2 && p.start;
            const double u = round == 1 ? 1.0 : at_start ? c.unit_of(i, *p.start) : 0.0;
            lo.overrides.push_back(p.name + "=" + c.value_text(i, u));
            const doc::Mark& m = round == 1 ? p.max_mark : at_start ? p.start_mark : p.min_mark;
            src.push_back({m, p.path + (round == 1 ? ".max" : at_start ? ".start" : ".min")});
        }
        // The min round's problems are reported once.
        if (round == 2) {
            doc::Problems extra;
            try {
                (void)load_scenario(c.scenario_file_, lo);
            } catch (const InputError& e) {
                map_load_problems(e, lo.overrides, src, t.file, c.scenario_file_, extra);
            }
            for (const auto& p : extra.list())
                if (p.path.ends_with(".start")) problems.add(p);
            continue;
        }
        try {
            (void)load_scenario(c.scenario_file_, lo);
        } catch (const InputError& e) {
            map_load_problems(e, lo.overrides, src, t.file, c.scenario_file_, problems);
        }
    }

    // Statistics: summary outcomes or timeseries columns of this scenario.
    const auto outcomes = summary_outcomes();
    const ColumnLayout layout(c.base_.countries);
    c.timeseries_columns_ = layout.size();
    auto summary_index = [&](const std::string& n) -> std::optional<std::size_t> {
        for (std::size_t i = 0; i < outcomes.size(); ++i)
            if (outcomes[i].name == n) return i;
        return std::nullopt;
    };
    auto column_index = [&](const std::string& n) -> std::optional<std::size_t> {
        for (std::size_t i = 0; i < layout.columns().size(); ++i)
            if (layout.columns()[i].name == n) return i;
        return std::nullopt;
    };
    std::string summary_names, column_names;
    for (const auto& o : outcomes) summary_names += (summary_names.empty() ? "" : ", ") + std::string(o.name);
    for (const auto& col : layout.columns()) column_names += (column_names.empty() ? "" : ", ") + col.name;
    for (const auto& tg : t.targets) {
        ResolvedTarget rt;
        auto add = [&](const doc::Mark& m, const std::string& path, const std::string& msg) {
            problems.add(Problem{file_of(m, t.file), m.line, m.column, path, msg});
        };
        const bool series = tg.aggregate.has_value() || tg.from.has_value();
        rt.summary = !series;
        bool ok = true;
        for (const auto& term : tg.terms) {
            const auto si = summary_index(term);
            const auto ci = column_index(term);
            if (series && ci) {
                rt.columns.push_back(*ci);
            } else if (!series && si) {
                rt.columns.push_back(*si);
            } else if (series) {
                add(tg.statistic_mark, tg.path + ".statistic",
                    fmt::format("'{}' is not a timeseries column of this scenario{} (columns: {})", term,
                                si ? " (it is a summary outcome: drop 'aggregate' and 'window')" : "",
                                column_names));
                ok = false;
            } else if (ci) {
                add(tg.statistic_mark, tg.path + ".statistic",
                    fmt::format("'{}' is a timeseries column: say how its days become one number with "
                                "'aggregate: mean|sum|min|max|first|last|per_30_days' (and optionally "
                                "'window: [from, to]' or 'at: day')",
                                term));
                ok = false;
            } else {
                add(tg.statistic_mark, tg.path + ".statistic",
                    fmt::format("'{}' is neither a summary outcome ({}) nor a timeseries column of "
                                "this scenario ({})",
                                term, summary_names, column_names));
                ok = false;
            }
        }
        if (series) {
            if (!tg.aggregate) {
                add(tg.mark, tg.path, "a window needs 'aggregate: mean|sum|min|max|first|last|per_30_days'");
                ok = false;
            } else {
                rt.aggregate = *tg.aggregate;
            }
            rt.from = 0;
            rt.to = c.base_.horizon_days - 1;
            if (tg.from) {
                const bool at = tg.at;
                const int f = resolve_day(*tg.from, c.base_, tg.path + (at ? ".at" : ".window[0]"), problems, t.file);
                const int to = at ? f : resolve_day(*tg.to, c.base_, tg.path + ".window[1]", problems, t.file);
                if (f < 0 || to < 0) {
                    ok = false;
                } else if (to < f) {
                    add(tg.to->mark, tg.path + ".window[1]",
                        fmt::format("the window ends (day {}) before it starts (day {})", to, f));
                    ok = false;
                } else {
                    rt.from = f;
                    rt.to = to;
                }
            }
        }
        if (ok) c.resolved_.push_back(std::move(rt));
    }
    problems.finish();
    return c;
}

std::string Calibration::value_text(std::size_t i, double u) const {
    const auto& p = spec_.parameters.at(i);
    u = std::clamp(u, 0.0, 1.0);
    double v = p.log ? std::exp(std::log(p.min) + u * (std::log(p.max) - std::log(p.min)))
                     : p.min + u * (p.max - p.min);
    if (p.integer) return sweep::format_value(std::clamp(std::round(v), p.min, p.max));
    // 6 significant digits: plenty for a fit whose targets carry sampling noise, and readable.
    v = std::stod(round_sig(v, 6));
    if (v <= p.min) return sweep::format_value(p.min);
    if (v >= p.max) return sweep::format_value(p.max);
    return sweep::format_value(v);
}

double Calibration::unit_of(std::size_t i, double value) const {
    const auto& p = spec_.parameters.at(i);
    const double u = p.log ? (std::log(value) - std::log(p.min)) / (std::log(p.max) - std::log(p.min))
                           : (value - p.min) / (p.max - p.min);
    return std::clamp(u, 0.0, 1.0);
}

std::vector<double> Calibration::statistics(const ReplicationResult& r) const {
    const std::size_t nt = resolved_.size();
    std::vector<double> out(nt, kNaN);
    bool any_series = false;
    int lo_day = std::numeric_limits<int>::max(), hi_day = -1;
    for (std::size_t t = 0; t < nt; ++t) {
        const auto& rt = resolved_[t];
        if (rt.summary) {
            double s = 0;
            for (auto c : rt.columns) s += r.summary.at(c);  // NaN (empty) stays NaN
            out[t] = s;
        } else {
            any_series = true;
            lo_day = std::min(lo_day, rt.from);
            hi_day = std::max(hi_day, rt.to);
        }
    }
    if (!any_series) return out;

    struct Acc {
        double sum = 0, min = kInf, max = -kInf, first = kNaN, last = kNaN;
        long n = 0;
    };
    std::vector<Acc> acc(nt);
    std::vector<double> row(timeseries_columns_, kNaN);
    std::string_view text = r.timeseries;
    while (!text.empty()) {
        const auto eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
        // replication,day,date,v0,v1,...
        const auto c1 = line.find(',');
        if (c1 == std::string_view::npos) continue;
        const auto c2 = line.find(',', c1 + 1);
        if (c2 == std::string_view::npos) continue;
        int day = -1;
        std::from_chars(line.data() + c1 + 1, line.data() + c2, day);
        if (day < lo_day || day > hi_day) continue;
        const auto c3 = line.find(',', c2 + 1);
        std::string_view rest = c3 == std::string_view::npos ? std::string_view() : line.substr(c3 + 1);
        for (std::size_t col = 0; col < timeseries_columns_; ++col) {
            const auto comma = rest.find(',');
            const std::string_view cell = rest.substr(0, comma);
            double v = kNaN;
            if (!cell.empty()) {
                const auto res = std::from_chars(cell.data(), cell.data() + cell.size(), v);
                if (res.ec != std::errc{}) v = kNaN;
            }
            row[col] = v;
            if (comma == std::string_view::npos) {
                for (std::size_t rest_col = col + 1; rest_col < timeseries_columns_; ++rest_col) row[rest_col] = kNaN;
                break;
            }
            rest.remove_prefix(comma + 1);
        }
        for (std::size_t t = 0; t < nt; ++t) {
            const auto& rt = resolved_[t];
            if (rt.summary || day < rt.from || day > rt.to) continue;
            double v = 0;
            for (auto c : rt.columns) v += row[c];
            if (std::isnan(v)) continue;
            Acc& a = acc[t];
            a.sum += v;
            a.min = std::min(a.min, v);
            a.max = std::max(a.max, v);
            if (a.n == 0) a.first = v;
            a.last = v;
            ++a.n;
        }
    }
    for (std::size_t t = 0; t < nt; ++t) {
        const auto& rt = resolved_[t];
        if (rt.summary || acc[t].n == 0) continue;
        const Acc& a = acc[t];
        switch (rt.aggregate) {
            case Aggregate::mean: out[t] = a.sum / static_cast<double>(a.n); break;
            case Aggregate::sum: out[t] = a.sum; break;
            case Aggregate::min: out[t] = a.min; break;
            case Aggregate::max: out[t] = a.max; break;
            case Aggregate::first: out[t] = a.first; break;
            case Aggregate::last: out[t] = a.last; break;
            case Aggregate::per_30_days: out[t] = a.sum * 30.0 / static_cast<double>(rt.to - rt.from + 1); break;
        }
    }
    return out;
}

double Calibration::objective(const std::vector<std::vector<double>>& values, std::vector<TargetStat>& stats,
                              bool& inside_all) const {
    stats.assign(resolved_.size(), TargetStat{});
    inside_all = true;
    double f = 0;
    std::vector<double> scratch;
    for (std::size_t t = 0; t < resolved_.size(); ++t) {
        const Target& tg = spec_.targets[t];
        const auto d = stats::describe(values[t], scratch);
        TargetStat& s = stats[t];
        s.n = d.n;
        s.mean = d.mean;
        s.sd = d.sd;
        s.ci_lo = d.ci_lo;
        s.ci_hi = d.ci_hi;
        const double scale = tg.scale();
        if (d.n == 0 || std::isnan(d.mean)) {
            s.inside = false;
            inside_all = false;
            f += tg.weight;  // no value: as if one band width outside
            continue;
        }
        const double m = d.mean;
        const double out = std::max({tg.lo - m, m - tg.hi, 0.0});
        s.inside = out == 0;
        inside_all = inside_all && s.inside;
        double term = (out / scale) * (out / scale);
        if (tg.two_sided()) {
            const double off = (m - 0.5 * (tg.lo + tg.hi)) / scale;
            term += spec_.tie_break * off * off;
        }
        f += tg.weight * term;
    }
    return f;
}

CalibrationReport Calibration::run() const {
    const auto t0 = std::chrono::steady_clock::now();
    CalibrationReport rep;
    rep.spec = spec_;
    rep.scenario_file = scenario_file_;
    rep.scenario_name = base_.name;
    rep.scenario_hash = base_.file_hash;
    rep.seed = seed_;
    rep.replications = replications_;
    rep.budget = budget_;
    rep.screen = screen_;
    rep.threads = resolve_threads(options_.threads);

    const std::size_t k = spec_.parameters.size();
    const std::size_t nt = resolved_.size();
    const auto reps = static_cast<std::size_t>(replications_);
    std::map<std::string, int> seen;  // joined values -> trace index that ran them
    std::vector<std::string> fixed = spec_.overrides;
    fixed.push_back(fmt::format("seed={}", seed_));

    BatchObjective batch_objective = [&](const std::vector<std::vector<double>>& points,
                                   const std::vector<Phase>& phases) {
        // 1. Candidates: values, reuse of earlier runs, scenarios loaded (in order, one thread).
        struct Job {
            std::size_t eval;  // trace index
            std::shared_ptr<const ScenarioSpec> spec;
        };
        std::vector<Job> jobs;
        const std::size_t first = rep.trace.size();
        for (std::size_t p = 0; p < points.size(); ++p) {
            Evaluation e;
            e.index = static_cast<int>(rep.trace.size());
            e.phase = phases[p];
            e.unit = points[p];
            std::string key;
            for (std::size_t i = 0; i < k; ++i) {
                e.values.push_back(value_text(i, points[p][i]));
                key += e.values.back() + '\n';
            }
            if (auto it = seen.find(key); it != seen.end()) {
                e.reused = it->second;
            } else {
                seen.emplace(key, e.index);
                LoadOptions lo;
                lo.overrides = fixed;
                for (std::size_t i = 0; i < k; ++i) lo.overrides.push_back(spec_.parameters[i].name + "=" + e.values[i]);
                try {
                    jobs.push_back({rep.trace.size(), std::make_shared<const ScenarioSpec>(load_scenario(scenario_file_, lo))});
                } catch (const InputError& err) {
                    e.note = err.problems().empty() ? err.what() : err.problems().front().str();
                    e.objective = kInf;
                    e.inside_all = false;
                }
            }
            rep.trace.push_back(std::move(e));
        }
        // 2. Runs: (job, replication) on the pool; values[job][target][replication].
        std::vector<std::vector<std::vector<double>>> values(
            jobs.size(), std::vector<std::vector<double>>(nt, std::vector<double>(reps, kNaN)));
        const std::size_t total = jobs.size() * reps;
        std::atomic<std::size_t> next{0};
        std::atomic<bool> stop{false};
        std::exception_ptr error;
        std::mutex error_mutex;
        auto worker = [&] {
            for (;;) {
                const std::size_t j = next.fetch_add(1);
                if (j >= total || stop) return;
                const std::size_t job = j / reps, r = j % reps;
                try {
                    const ReplicationResult res = run_replication(*jobs[job].spec, static_cast<int>(r));
                    const auto st = statistics(res);
                    for (std::size_t t = 0; t < nt; ++t) values[job][t][r] = st[t];
                } catch (...) {
                    std::lock_guard lock(error_mutex);
                    if (!error) error = std::current_exception();
                    stop = true;
                    return;
                }
            }
        };
        const int threads = std::min(rep.threads, static_cast<int>(std::max<std::size_t>(total, 1)));
        if (threads <= 1) {
            worker();
        } else {
            std::vector<std::jthread> pool;
            for (int i = 0; i < threads; ++i) pool.emplace_back(worker);
        }
        if (error) std::rethrow_exception(error);
        // 3. Objective values, in order.
        for (std::size_t job = 0; job < jobs.size(); ++job) {
            Evaluation& e = rep.trace[jobs[job].eval];
            e.objective = this->objective(values[job], e.targets, e.inside_all);
            ++rep.runs;
        }
        std::vector<double> f;
        for (std::size_t i = first; i < rep.trace.size(); ++i) {
            Evaluation& e = rep.trace[i];
            if (e.reused >= 0) {
                const Evaluation& src = rep.trace[static_cast<std::size_t>(e.reused)];
                e.objective = src.objective;
                e.inside_all = src.inside_all;
                e.targets = src.targets;
                e.note = src.note;
            }
            f.push_back(e.objective);
        }
        if (options_.progress) options_.progress(static_cast<long>(rep.trace.size()), budget_);
        return f;
    };

    OptimizerOptions oo;
    oo.budget = budget_;
    oo.screen = screen_;
    oo.restarts = spec_.restarts;
    oo.seed = seed_;
    std::vector<double> start(k, 0.5);
    for (std::size_t i = 0; i < k; ++i)
        if (spec_.parameters[i].start) start[i] = unit_of(i, *spec_.parameters[i].start);
    rep.optimizer = minimize(k, batch_objective, oo, start);

    rep.best = 0;
    for (std::size_t i = 1; i < rep.trace.size(); ++i)
        if (rep.trace[i].objective < rep.trace[rep.best].objective) rep.best = i;
    rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return rep;
}

}  // namespace resurgence::calibrate
