// The sweep file schema (docs/sweeps.md, "File format").
#include "resurgence/sweep/spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "resurgence/core/error.hpp"
#include "resurgence/params/parameters.hpp"
#include "resurgence/scenario/loader.hpp"
#include "resurgence/sweep/design.hpp"

namespace resurgence::sweep {
namespace fs = std::filesystem;
using doc::MapReader;
using doc::Node;

const char* name_of(DesignKind k) noexcept {
    switch (k) {
        case DesignKind::list: return "list";
        case DesignKind::grid: return "grid";
        case DesignKind::lhs: return "lhs";
        case DesignKind::sobol: return "sobol";
        case DesignKind::morris: return "morris";
    }
    return "?";
}

const char* name_of(FailurePolicy p) noexcept {
    return p == FailurePolicy::stop ? "stop" : "record";
}

std::string format_value(double v) {
    if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
    return fmt::format("{}", v);
}

namespace {

constexpr long long kMaxPoints = 100'000'000;
constexpr long long kMaxPlans = 100'000'000;
constexpr int kMaxSobolDims = 3667;  // boost::random::sobol's direction-number table

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
}

bool is_key_char(char c) { return is_name_char(c) || c == '[' || c == ']'; }

std::string item_path(const std::string& base, std::size_t i) { return fmt::format("{}[{}]", base, i); }

// A value must survive being a CSV cell and the text after '=' in an override.
std::optional<std::string> bad_value_text(const std::string& s) {
    if (s.empty()) return "an empty value";
    if (s.find_first_of(",\"\n\r") != std::string::npos)
        return fmt::format("'{}' contains a comma, a quote or a line break (values become CSV "
                           "cells; use plain words or numbers)",
                           s);
    if (s.front() == ' ' || s.back() == ' ') return fmt::format("'{}' has surrounding spaces", s);
    return std::nullopt;
}

void read_parameter(const Node& node, std::size_t index, SweepSpec& spec, doc::Problems& problems) {
    Parameter p;
    p.path = item_path("parameters", index);
    p.mark = node.mark;
    if (!node.is_map()) {
        problems.add(node.mark, p.path,
                     "expected a map such as {name: civilians.k, min: 1, max: 4} or "
                     "{name: civilians.mode, values: [mixed, grid]}");
        return;
    }
    MapReader r(node, p.path, problems);
    r.allow({"name", "values", "min", "max", "steps", "scale", "integer"});
    if (auto name = r.string("name", true)) {
        p.name = *name;
        const bool shape = !p.name.empty() &&
                           std::all_of(p.name.begin(), p.name.end(), is_key_char) &&
                           p.name.front() != '.' && p.name.front() != '[';
        if (!shape)
            r.problem("name", fmt::format("'{}' is not a key path (names separated by dots, each "
                                          "with an optional [index], e.g. civilians.k or "
                                          "regions[0].legitimacy)",
                                          p.name));
        else if (p.name == "seed" || p.name == "replications")
            r.problem("name", fmt::format("'{}' cannot be swept: the sweep's own 'seed' and "
                                          "'replications' keys set it for every run (see the "
                                          "seed rule in docs/sweeps.md)",
                                          p.name));
        for (const auto& other : spec.parameters)
            if (other.name == p.name)
                r.problem("name", fmt::format("'{}' is swept twice (also at line {})", p.name,
                                              other.mark.line));
    }
    const ParamInfo* info = p.name.empty() ? nullptr : find_param(p.name);
    const bool has_values = r.has("values");
    const bool has_range = r.has("min") || r.has("max");
    if (has_values && (has_range || r.has("steps") || r.has("scale"))) {
        r.problem("values", "give either 'values' or a range ('min', 'max' and optionally "
                            "'steps', 'scale'), not both");
        return;
    }
    if (!has_values && !has_range) {
        problems.add(node.mark, p.path,
                     "missing the values to sweep: give 'values: [...]' or 'min' and 'max'");
        return;
    }
    if (has_values) {
        const Node* seq = r.sequence("values", true);
        if (seq == nullptr) return;
        if (seq->items.empty()) {
            r.problem("values", "the list is empty: give at least one value");
            return;
        }
        std::set<std::string> seen;
        for (std::size_t i = 0; i < seq->items.size(); ++i) {
            const Node& v = seq->items[i];
            const std::string vp = item_path(p.path + ".values", i);
            if (!v.is_scalar()) {
                problems.add(v.mark, vp, fmt::format("expected a number or a word, got a {}", v.kind_name()));
                continue;
            }
            if (auto bad = bad_value_text(v.scalar)) {
                problems.add(v.mark, vp, *bad);
                continue;
            }
            if (!seen.insert(v.scalar).second) {
                problems.add(v.mark, vp, fmt::format("'{}' is listed twice", v.scalar));
                continue;
            }
            p.values.push_back(v.scalar);
            p.value_marks.push_back(v.mark);
        }
        if (p.values.size() == seq->items.size()) spec.parameters.push_back(std::move(p));
        return;
    }

    // A range.
    if (info != nullptr && info->kind == ParamKind::boolean) {
        r.problem(r.has("min") ? "min" : "max",
                  fmt::format("'{}' is true or false: list its values instead (values: [false, "
                              "true])",
                              p.name));
        return;
    }
    const double inf = std::numeric_limits<double>::infinity();
    const auto lo = r.number("min", -inf, inf, "", true);
    const auto hi = r.number("max", -inf, inf, "", true);
    const auto scale = r.choice("scale", {"linear", "log"}, false, 0);
    const auto integer = r.boolean("integer", false, info != nullptr && info->kind == ParamKind::integer);
    const auto steps = r.integer("steps", 2, 1'000'000, false);
    if (!lo || !hi || !scale || !integer || (r.has("steps") && !steps)) return;
    p.min = *lo;
    p.max = *hi;
    p.log = *scale == 1;
    p.integer = *integer;
    p.min_mark = r.get("min")->mark;
    p.max_mark = r.get("max")->mark;
    bool ok = true;
    if (!(p.min < p.max)) {
        r.problem("max", fmt::format("max ({}) must be above min ({})", format_value(p.max),
                                     format_value(p.min)));
        ok = false;
    }
    if (p.log && p.min <= 0) {
        r.problem("min", fmt::format("scale: log needs min above 0 (got {})", format_value(p.min)));
        ok = false;
    }
    if (p.integer && (p.min != std::floor(p.min) || p.max != std::floor(p.max))) {
        r.problem("min", fmt::format("'{}' takes whole numbers: min and max must be whole "
                                     "(got {} and {})",
                                     p.name, format_value(p.min), format_value(p.max)));
        ok = false;
    }
    if (!ok) return;
    if (steps) {
        // A range with steps is a list of values (linspace / logspace).
        auto xs = p.log ? logspace(p.min, p.max, static_cast<int>(*steps))
                        : linspace(p.min, p.max, static_cast<int>(*steps));
        const doc::Mark at = r.get("steps")->mark;
        for (double x : xs) {
            // 12 significant digits: 0.1 + 2 * 0.1 is 0.3, not 0.30000000000000004.
            double v = std::stod(fmt::format("{:.12g}", x));
            if (p.integer) v = std::round(v);
            std::string text = format_value(v);
            if (std::find(p.values.begin(), p.values.end(), text) != p.values.end()) continue;
            p.values.push_back(std::move(text));
            p.value_marks.push_back(at);
        }
        if (p.values.size() < static_cast<std::size_t>(*steps))
            r.problem("steps", fmt::format("{} steps of whole numbers from {} to {} give only {} "
                                           "distinct values; use steps: {}",
                                           *steps, format_value(p.min), format_value(p.max),
                                           p.values.size(), p.values.size()));
    }
    spec.parameters.push_back(std::move(p));
}

// Checks that need the whole file: the design against the parameters, sizes.
void check_design(MapReader& root, SweepSpec& spec, bool samples_given, bool levels_given) {
    auto& problems = root.problems();
    const auto k = static_cast<long long>(spec.parameters.size());
    long long points = 0;
    switch (spec.design) {
        case DesignKind::list:
        case DesignKind::grid: {
            const char* kind = spec.design == DesignKind::list ? "list" : "grid";
            if (samples_given)
                root.problem("samples", fmt::format("'samples' applies to lhs, sobol and morris "
                                                    "designs; a {} design takes its points from "
                                                    "the parameters' values",
                                                    kind));
            points = spec.design == DesignKind::grid ? 1 : -1;
            for (const auto& p : spec.parameters) {
                if (!p.discrete()) {
                    problems.add(p.mark, p.path,
                                 fmt::format("a {} design needs the values of '{}': give "
                                             "'values: [...]' or add 'steps' to its range",
                                             kind, p.name));
                    points = 0;
                    continue;
                }
                const auto n = static_cast<long long>(p.values.size());
                if (spec.design == DesignKind::list) {
                    if (points < 0) points = n;
                    else if (n != points)
                        problems.add(p.mark, p.path,
                                     fmt::format("a list design pairs the i-th values of every "
                                                 "parameter: '{}' has {} values, '{}' has {}",
                                                 p.name, n, spec.parameters.front().name, points));
                } else if (points > 0) {
                    points = points > kMaxPoints / n ? kMaxPoints + 1 : points * n;
                }
            }
            break;
        }
        case DesignKind::lhs:
        case DesignKind::sobol:
        case DesignKind::morris: {
            if (!samples_given) {
                problems.add(spec.design_mark, "design",
                             fmt::format("a {} design needs 'samples' ({})", name_of(spec.design),
                                         spec.design == DesignKind::lhs ? "the number of points"
                                         : spec.design == DesignKind::sobol
                                             ? "the number of base samples N; the sweep runs N (k + 2) points"
                                             : "the number of trajectories r; the sweep runs r (k + 1) points"));
                return;
            }
            const long long per = spec.design == DesignKind::lhs     ? 1
                                  : spec.design == DesignKind::sobol ? k + 2
                                                                     : k + 1;
            points = spec.samples > kMaxPoints / per ? kMaxPoints + 1 : spec.samples * per;
            if (spec.design == DesignKind::sobol && 2 * k > kMaxSobolDims)
                problems.add(spec.design_mark, "design",
                             fmt::format("a sobol design handles at most {} parameters ({} here)",
                                         kMaxSobolDims / 2, k));
            break;
        }
    }
    if (levels_given && spec.design != DesignKind::morris)
        root.problem("levels", "'levels' applies to morris designs only");
    if (points > kMaxPoints)
        problems.add(spec.design_mark, "design",
                     fmt::format("the design has more than {} points; split the sweep", kMaxPoints));
    else if (points > 0 && points * spec.replications > kMaxPlans)
        root.problem("replications",
                     fmt::format("{} points x {} replications is more than {} runs; split the sweep",
                                 points, spec.replications, kMaxPlans));
}

}  // namespace

SweepSpec read_sweep_text(const std::string& text, const std::string& name) {
    const Node root_node = parse_document(text, name);
    doc::Problems problems;
    SweepSpec spec;
    spec.file = name;
    if (!root_node.is_map()) {
        problems.add(root_node.mark, "",
                     "a sweep file is a map with at least base, design and parameters (see "
                     "docs/sweeps.md)");
        problems.finish();
    }
    MapReader root(root_node, "", problems);
    root.allow({"name", "description", "base", "overrides", "design", "samples", "levels",
                "replications", "seed", "common_random_numbers", "on_failure", "output",
                "parameters"});

    spec.name = fs::path(name).stem().string();
    if (auto n = root.string("name", false)) {
        if (n->empty() || !std::all_of(n->begin(), n->end(), is_name_char))
            root.problem("name", fmt::format("'{}' is not a name (letters, digits, '_', '-', '.')", *n));
        else
            spec.name = *n;
    }
    spec.description = root.string("description", false, "").value_or("");
    if (auto b = root.string("base", true)) {
        spec.base = *b;
        const fs::path bp(*b);
        spec.base_path = bp.is_absolute() ? bp : fs::path(name).parent_path() / bp;
        std::error_code ec;
        if (!fs::is_regular_file(spec.base_path, ec))
            root.problem("base", fmt::format("no scenario file {} (a relative path is read from the "
                                             "sweep file's folder)",
                                             spec.base_path.string()));
    }
    if (const Node* ov = root.sequence("overrides", false)) {
        for (std::size_t i = 0; i < ov->items.size(); ++i) {
            const Node& o = ov->items[i];
            const std::string op = item_path("overrides", i);
            if (!o.is_scalar() || o.scalar.find('=') == std::string::npos ||
                o.scalar.front() == '=') {
                problems.add(o.mark, op, "expected key=value text, e.g. horizon_days=730");
                continue;
            }
            const std::string key = o.scalar.substr(0, o.scalar.find('='));
            if (key == "seed" || key == "replications") {
                problems.add(o.mark, op, fmt::format("set '{}' with the sweep's own '{}' key", key, key));
                continue;
            }
            spec.overrides.push_back(o.scalar);
            spec.override_marks.push_back(o.mark);
        }
    }
    if (const Node* d = root.get("design")) spec.design_mark = d->mark;
    if (auto d = root.choice("design", {"list", "grid", "lhs", "sobol", "morris"}, true))
        spec.design = static_cast<DesignKind>(*d);
    const bool samples_given = root.has("samples");
    if (auto s = root.integer("samples", 1, kMaxPoints, false)) spec.samples = *s;
    const bool levels_given = root.has("levels");
    if (auto l = root.integer("levels", 2, 1000, false, 4)) {
        if (*l % 2 != 0) root.problem("levels", fmt::format("levels must be even (got {}): Morris's "
                                                             "step Δ = levels / (2 (levels - 1)) "
                                                             "needs it",
                                                             *l));
        else spec.levels = static_cast<int>(*l);
    }
    if (auto r = root.integer("replications", 1, 1'000'000, false, 1))
        spec.replications = static_cast<int>(*r);
    if (auto s = root.integer("seed", 0, std::numeric_limits<long long>::max(), false, 1))
        spec.seed = static_cast<std::uint64_t>(*s);
    if (auto c = root.boolean("common_random_numbers", false, false)) spec.common_random_numbers = *c;
    if (auto f = root.choice("on_failure", {"stop", "record"}, false, 0))
        spec.on_failure = static_cast<FailurePolicy>(*f);
    spec.output = root.string("output", false, "").value_or("");

    if (const Node* params = root.sequence("parameters", true)) {
        if (params->items.empty())
            root.problem("parameters", "the list is empty: name at least one parameter to sweep");
        for (std::size_t i = 0; i < params->items.size(); ++i)
            read_parameter(params->items[i], i, spec, problems);
        if (problems.empty() && root.has("design")) check_design(root, spec, samples_given, levels_given);
    }
    if (spec.design == DesignKind::sobol && samples_given && spec.samples < 2)
        root.problem("samples", "a sobol design needs at least 2 base samples");
    if (spec.design == DesignKind::morris && samples_given && spec.samples < 2)
        root.problem("samples", "a morris design needs at least 2 trajectories");
    problems.finish();
    return spec;
}

SweepSpec read_sweep_file(const std::string& path) {
    std::string why;
    const auto text = read_input_file(path, why);
    if (!text)
        throw InputError(std::vector<Problem>{
            Problem{path, 0, 0, {}, fmt::format("cannot read the sweep file: {}", why)}});
    return read_sweep_text(*text, path);
}

}  // namespace resurgence::sweep
