#include "resurgence/sweep/sweep.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "resurgence/core/error.hpp"
#include "resurgence/core/rng.hpp"
#include "resurgence/core/version.hpp"
#include "resurgence/output/files.hpp"
#include "resurgence/output/recorder.hpp"
#include "resurgence/scenario/loader.hpp"
#include "resurgence/sweep/design.hpp"

namespace resurgence::sweep {
namespace fs = std::filesystem;

void append_number(std::string& out, double v) {
    if (std::isnan(v)) return;
    if (v == std::floor(v) && std::fabs(v) < 1e15)
        fmt::format_to(std::back_inserter(out), "{}", static_cast<long long>(v));
    else
        fmt::format_to(std::back_inserter(out), "{:.9g}", v);
}

std::uint64_t point_seed(std::uint64_t seed, std::uint64_t point) noexcept {
    // Scenario seeds are 0..2^63-1 (the loader reads them as signed 64-bit integers).
    return mix64(seed ^ mix64(point + 1)) & 0x7FFF'FFFF'FFFF'FFFFULL;
}

namespace {

// 12 significant digits: enough for any parameter, and the text in an override, a CSV cell and
// the value the run used are then the same number.
double tidy(double v) { return std::stod(fmt::format("{:.12g}", v)); }

double map_unit(const Parameter& p, double u) {
    if (p.discrete()) {
        const auto n = static_cast<double>(p.values.size());
        return std::min(std::floor(u * n), n - 1);
    }
    if (p.integer) {
        // Uniform over the whole numbers min..max (each gets an equal share of [0,1)).
        double v;
        if (p.log) v = std::floor(std::exp(std::log(p.min) + u * (std::log(p.max + 1) - std::log(p.min))));
        else v = p.min + std::floor(u * (p.max - p.min + 1));
        return std::clamp(v, p.min, p.max);
    }
    const double v = p.log ? std::exp(std::log(p.min) + u * (std::log(p.max) - std::log(p.min)))
                           : p.min + u * (p.max - p.min);
    return std::clamp(tidy(v), p.min, p.max);
}

class Hasher {
public:
    void add(std::string_view s) {
        for (char c : s) {
            h_ ^= static_cast<unsigned char>(c);
            h_ *= 0x100000001b3ULL;
        }
        h_ ^= 0xFF;  // separator: ("ab","c") != ("a","bc")
        h_ *= 0x100000001b3ULL;
    }
    [[nodiscard]] std::string hex() const { return fmt::format("{:016x}", h_); }

private:
    std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

std::string file_of(const doc::Mark& m, const std::string& fallback) {
    return m.file ? *m.file : fallback;
}

// Loads the base scenario once per distinct value (continuous ranges: at min and at max), all
// parameters at once; a problem the loader finds in an override is reported at the sweep file
// line that produced it.
BaseInfo validate_against_base(const Sweep& sweep) {
    const SweepSpec& spec = sweep.spec();
    std::size_t loads = 1;
    for (const auto& p : spec.parameters) loads = std::max(loads, p.discrete() ? p.values.size() : 2);

    struct Source {
        doc::Mark mark;
        std::string path;
    };
    doc::Problems problems;
    BaseInfo info;
    bool have_info = false;
    const std::string base = spec.base_path.string();
    for (std::size_t j = 0; j < loads; ++j) {
        LoadOptions lo;
        std::vector<Source> sources;
        for (std::size_t i = 0; i < spec.overrides.size(); ++i) {
            lo.overrides.push_back(spec.overrides[i]);
            sources.push_back({spec.override_marks[i], fmt::format("overrides[{}]", i)});
        }
        for (const auto& p : spec.parameters) {
            if (p.discrete()) {
                const std::size_t v = j % p.values.size();
                lo.overrides.push_back(p.name + "=" + p.values[v]);
                sources.push_back({p.value_marks[v], fmt::format("{}.values[{}]", p.path, v)});
            } else {
                const bool at_max = j % 2 == 1;
                lo.overrides.push_back(p.name + "=" + format_value(at_max ? p.max : p.min));
                sources.push_back({at_max ? p.max_mark : p.min_mark, p.path + (at_max ? ".max" : ".min")});
            }
        }
        lo.overrides.push_back(fmt::format("seed={}", spec.seed));
        sources.push_back({spec.design_mark, "seed"});
        try {
            const ScenarioSpec s = load_scenario(base, lo);
            if (!have_info) {
                info = BaseInfo{s.name, s.file_hash};
                have_info = true;
            }
        } catch (const InputError& e) {
            for (const auto& prob : e.problems()) {
                int n = 0;
                if (std::sscanf(prob.file.c_str(), "<override %d>", &n) == 1 && n >= 1 &&
                    static_cast<std::size_t>(n) <= sources.size()) {
                    const Source& src = sources[static_cast<std::size_t>(n) - 1];
                    problems.add(Problem{
                        file_of(src.mark, spec.file), src.mark.line, src.mark.column, src.path,
                        fmt::format("{} is rejected by the base scenario {}: {}{}",
                                    lo.overrides[static_cast<std::size_t>(n) - 1], base,
                                    prob.path.empty() ? "" : prob.path + ": ", prob.message)});
                } else {
                    problems.add(prob);
                }
            }
        }
    }
    problems.finish();
    return info;
}

}  // namespace

Design expand_design(const SweepSpec& spec) {
    Design d;
    d.kind = spec.design;
    d.k = spec.parameters.size();
    const auto k = static_cast<Eigen::Index>(d.k);
    switch (spec.design) {
        case DesignKind::list:
            d.points = spec.parameters.empty() ? 0 : spec.parameters.front().values.size();
            d.x.resize(d.points * d.k);
            for (std::size_t p = 0; p < d.points; ++p)
                for (std::size_t i = 0; i < d.k; ++i) d.x[p * d.k + i] = static_cast<double>(p);
            return d;
        case DesignKind::grid: {
            d.points = 1;
            for (const auto& p : spec.parameters) d.points *= p.values.size();
            d.x.resize(d.points * d.k);
            // First parameter varies slowest (row-major order of the nested loops).
            for (std::size_t p = 0; p < d.points; ++p) {
                std::size_t rest = p;
                for (std::size_t i = d.k; i-- > 0;) {
                    const std::size_t n = spec.parameters[i].values.size();
                    d.x[p * d.k + i] = static_cast<double>(rest % n);
                    rest /= n;
                }
            }
            return d;
        }
        case DesignKind::lhs:
            d.unit = latin_hypercube(static_cast<Eigen::Index>(spec.samples), k, spec.seed);
            break;
        case DesignKind::sobol:
            d.unit = saltelli(static_cast<Eigen::Index>(spec.samples), k);
            break;
        case DesignKind::morris:
            d.unit = morris_trajectories(static_cast<Eigen::Index>(spec.samples), k, spec.levels, spec.seed);
            break;
    }
    d.points = static_cast<std::size_t>(d.unit.rows());
    d.x.resize(d.points * d.k);
    for (std::size_t p = 0; p < d.points; ++p)
        for (std::size_t i = 0; i < d.k; ++i)
            d.x[p * d.k + i] = map_unit(spec.parameters[i], d.unit(static_cast<Eigen::Index>(p),
                                                                   static_cast<Eigen::Index>(i)));
    return d;
}

Sweep Sweep::load(const std::string& path) { return from_spec(read_sweep_file(path), true); }

Sweep Sweep::from_spec(SweepSpec spec, bool validate_base) {
    Sweep s;
    s.spec_ = std::move(spec);
    s.design_ = expand_design(s.spec_);
    if (validate_base) s.base_ = validate_against_base(s);

    Hasher h;
    h.add("resurgence-sweep/1");
    h.add(s.base_.file_hash);
    for (const auto& o : s.spec_.overrides) h.add(o);
    for (const auto& p : s.spec_.parameters) h.add(p.name);
    for (std::uint64_t p = 0; p < s.points(); ++p)
        for (std::size_t i = 0; i < s.design_.k; ++i) h.add(s.value_text(p, i));
    h.add(std::to_string(s.spec_.replications));
    h.add(std::to_string(s.spec_.seed));
    h.add(s.spec_.common_random_numbers ? "crn" : "independent");
    h.add(name_of(s.spec_.on_failure));
    for (const auto& o : summary_outcomes()) h.add(o.name);
    s.fingerprint_ = h.hex();
    return s;
}

std::uint64_t Sweep::seed_of_point(std::uint64_t point) const noexcept {
    return spec_.common_random_numbers ? spec_.seed : point_seed(spec_.seed, point);
}

Plan Sweep::plan(std::uint64_t index) const noexcept {
    const auto r = static_cast<std::uint64_t>(spec_.replications);
    Plan p;
    p.index = index;
    p.point = index / r;
    p.replication = static_cast<int>(index % r);
    p.seed = seed_of_point(p.point);
    return p;
}

std::string Sweep::value_text(std::uint64_t point, std::size_t param) const {
    const double x = design_.x[point * design_.k + param];
    const Parameter& p = spec_.parameters[param];
    return p.discrete() ? p.values[static_cast<std::size_t>(x)] : format_value(x);
}

std::vector<std::string> Sweep::point_overrides(std::uint64_t point) const {
    std::vector<std::string> o = spec_.overrides;
    for (std::size_t i = 0; i < design_.k; ++i)
        o.push_back(spec_.parameters[i].name + "=" + value_text(point, i));
    o.push_back(fmt::format("seed={}", seed_of_point(point)));
    return o;
}

std::uint64_t Sweep::group_of(std::uint64_t point) const noexcept {
    switch (design_.kind) {
        case DesignKind::sobol: return point / (design_.k + 2);
        case DesignKind::morris: return point / (design_.k + 1);
        default: return point;
    }
}

std::string Sweep::role_of(std::uint64_t point) const {
    switch (design_.kind) {
        case DesignKind::sobol: {
            const std::uint64_t r = point % (design_.k + 2);
            return r == 0 ? "A" : r == 1 ? "B" : fmt::format("AB{}", r - 1);
        }
        case DesignKind::morris: return fmt::format("s{}", point % (design_.k + 1));
        default: return "-";
    }
}

std::string Sweep::design_csv_header() const {
    std::string h = "point,group,role";
    for (const auto& p : spec_.parameters) h += "," + p.name;
    if (design_.unit.size() > 0)
        for (const auto& p : spec_.parameters) h += ",u." + p.name;
    return h + "\n";
}

void Sweep::append_design_row(std::string& out, std::uint64_t point) const {
    auto it = std::back_inserter(out);
    fmt::format_to(it, "{},{},{}", point, group_of(point), role_of(point));
    for (std::size_t i = 0; i < design_.k; ++i) {
        out += ',';
        out += value_text(point, i);
    }
    if (design_.unit.size() > 0)
        for (std::size_t i = 0; i < design_.k; ++i)
            fmt::format_to(it, ",{}", design_.unit(static_cast<Eigen::Index>(point),
                                                   static_cast<Eigen::Index>(i)));
    out += '\n';
}

std::string Sweep::sweep_json() const {
    const SweepSpec& s = spec_;
    std::string j = "{\n";
    auto it = std::back_inserter(j);
    fmt::format_to(it, "  \"format\": \"resurgence-sweep/1\",\n");
    fmt::format_to(it, "  \"version\": \"{}\",\n  \"git_hash\": \"{}\",\n", version_string(), git_hash());
    fmt::format_to(it, "  \"name\": \"{}\",\n  \"description\": \"{}\",\n", json_escape(s.name),
                   json_escape(s.description));
    fmt::format_to(it, "  \"sweep_file\": \"{}\",\n", json_escape(fs::path(s.file).filename().string()));
    fmt::format_to(it, "  \"base\": {{\"file\": \"{}\", \"name\": \"{}\", \"file_hash\": \"{}\"}},\n",
                   json_escape(s.base), json_escape(base_.name), base_.file_hash);
    j += "  \"overrides\": [";
    for (std::size_t i = 0; i < s.overrides.size(); ++i)
        fmt::format_to(it, "{}\"{}\"", i ? ", " : "", json_escape(s.overrides[i]));
    j += "],\n";
    fmt::format_to(it, "  \"design\": {{\"kind\": \"{}\"", name_of(s.design));
    if (s.design == DesignKind::lhs || s.design == DesignKind::sobol || s.design == DesignKind::morris)
        fmt::format_to(it, ", \"samples\": {}", s.samples);
    if (s.design == DesignKind::morris)
        fmt::format_to(it, ", \"levels\": {}, \"delta\": {}", s.levels, morris_delta(s.levels));
    fmt::format_to(it, ", \"points\": {}, \"replications\": {}, \"plans\": {}}},\n", points(),
                   s.replications, plans());
    fmt::format_to(it,
                   "  \"seeds\": {{\"seed\": {}, \"common_random_numbers\": {}, \"rule\": \"{}\"}},\n",
                   s.seed, s.common_random_numbers ? "true" : "false",
                   s.common_random_numbers
                       ? "every plan runs with seed = seed; replication r of every point uses "
                         "the same streams (seed, r, purpose, entity)"
                       : "plan (point p, replication r) runs with seed = mix64(seed ^ mix64(p + "
                         "1)) & (2^63-1) (mix64(x) = SplitMix64 output for state x: x + 0x9E3779B97F4A7C15, then the finaliser) and replication index r");
    fmt::format_to(it, "  \"on_failure\": \"{}\",\n  \"fingerprint\": \"{}\",\n", name_of(s.on_failure),
                   fingerprint_);
    j += "  \"parameters\": [";
    for (std::size_t i = 0; i < s.parameters.size(); ++i) {
        const Parameter& p = s.parameters[i];
        fmt::format_to(it, "{}\n    {{\"name\": \"{}\", ", i ? "," : "", json_escape(p.name));
        if (p.discrete()) {
            j += "\"values\": [";
            for (std::size_t v = 0; v < p.values.size(); ++v)
                fmt::format_to(it, "{}\"{}\"", v ? ", " : "", json_escape(p.values[v]));
            j += "]}";
        } else {
            fmt::format_to(it, "\"min\": {}, \"max\": {}, \"scale\": \"{}\", \"integer\": {}}}",
                           format_value(p.min), format_value(p.max), p.log ? "log" : "linear",
                           p.integer ? "true" : "false");
        }
    }
    j += "\n  ],\n  \"outcomes\": [";
    const auto outs = summary_outcomes();
    for (std::size_t i = 0; i < outs.size(); ++i)
        fmt::format_to(it, "{}\n    {{\"name\": \"{}\", \"unit\": \"{}\", \"description\": \"{}\"}}",
                       i ? "," : "", outs[i].name, outs[i].unit, json_escape(outs[i].description));
    j += "\n  ],\n";
    j += "  \"files\": {\"design\": \"design.csv\", \"runs\": \"runs.csv\", \"summary\": "
         "\"sweep_summary.csv\", \"failures\": \"failures.csv\", \"journal\": \"journal/\"},\n";
    j += "  \"statistics\": \"per design point over its replications, leaving out empty values: "
         "mean; sd (n - 1); q05, q50, q95 (type 7 quantiles); ci_lo, ci_hi (95% Student t interval "
         "of the mean)\"\n";
    j += "}\n";
    return j;
}

}  // namespace resurgence::sweep
