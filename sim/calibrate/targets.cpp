// The targets file schema (docs/calibration.md, "The targets file").
#include "resurgence/calibrate/targets.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "resurgence/core/calendar.hpp"
#include "resurgence/core/error.hpp"
#include "resurgence/params/parameters.hpp"
#include "resurgence/scenario/loader.hpp"
#include "resurgence/sweep/spec.hpp"

namespace resurgence::calibrate {
namespace fs = std::filesystem;
using doc::MapReader;
using doc::Node;

const char* name_of(Aggregate a) noexcept {
    switch (a) {
        case Aggregate::mean: return "mean";
        case Aggregate::sum: return "sum";
        case Aggregate::min: return "min";
        case Aggregate::max: return "max";
        case Aggregate::first: return "first";
        case Aggregate::last: return "last";
        case Aggregate::per_30_days: return "per_30_days";
    }
    return "?";
}

bool Target::two_sided() const noexcept { return std::isfinite(lo) && std::isfinite(hi); }

double Target::scale() const noexcept {
    if (two_sided()) return hi - lo;
    const double end = std::isfinite(lo) ? lo : hi;
    return std::max(std::fabs(end), 1.0);
}

namespace {

constexpr int kMaxBudget = 1'000'000;

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
}
bool is_key_char(char c) { return is_name_char(c) || c == '[' || c == ']'; }
bool is_column_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string item_path(const std::string& base, std::size_t i) { return fmt::format("{}[{}]", base, i); }

std::string trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return std::string(s);
}

bool is_null_node(const Node& n) {
    return n.is_null() || (n.is_scalar() && !n.quoted && (n.scalar == "null" || n.scalar == "~"));
}

// `seen`: names read so far (valid or not) and their lines, for duplicates.
using Seen = std::map<std::string, int>;

void read_parameter(const Node& node, std::size_t index, TargetsSpec& spec, Seen& seen, doc::Problems& problems) {
    FreeParameter p;
    p.path = item_path("parameters", index);
    p.mark = node.mark;
    if (!node.is_map()) {
        problems.add(node.mark, p.path,
                     "expected a map such as {name: cells.recruit_rate, min: 1e-6, max: 1e-4, "
                     "scale: log}");
        return;
    }
    MapReader r(node, p.path, problems);
    r.allow({"name", "min", "max", "start", "scale", "integer"});
    if (auto name = r.string("name", true)) {
        p.name = *name;
        const bool shape = !p.name.empty() && std::all_of(p.name.begin(), p.name.end(), is_key_char) &&
                           p.name.front() != '.' && p.name.front() != '[';
        if (!shape)
            r.problem("name", fmt::format("'{}' is not an override key (names separated by dots, "
                                          "each with an optional [index], e.g. cells.recruit_rate "
                                          "or regions[2].legitimacy)",
                                          p.name));
        else if (p.name == "seed" || p.name == "replications")
            r.problem("name", fmt::format("'{}' cannot be fitted: calibration evaluates every "
                                          "candidate with the same seed and replications "
                                          "(common random numbers)",
                                          p.name));
        if (const auto [it, fresh] = seen.emplace(p.name, node.mark.line); !fresh)
            r.problem("name", fmt::format("'{}' is listed twice (also at line {})", p.name, it->second));
    }
    const ParamInfo* info = p.name.empty() ? nullptr : find_param(p.name);
    if (info != nullptr && info->kind == ParamKind::boolean) {
        r.problem("name", fmt::format("'{}' is true or false: only numbers can be fitted", p.name));
        return;
    }
    const double inf = std::numeric_limits<double>::infinity();
    const auto lo = r.number("min", -inf, inf, "", true);
    const auto hi = r.number("max", -inf, inf, "", true);
    const auto start = r.number("start", -inf, inf, "", false);
    const auto scale = r.choice("scale", {"linear", "log"}, false, 0);
    const auto integer = r.boolean("integer", false, info != nullptr && info->kind == ParamKind::integer);
    if (!lo || !hi || !scale || !integer || (r.has("start") && !start)) return;
    p.min = *lo;
    p.max = *hi;
    p.start = start;
    p.log = *scale == 1;
    p.integer = *integer;
    p.min_mark = r.get("min")->mark;
    p.max_mark = r.get("max")->mark;
    if (r.has("start")) p.start_mark = r.get("start")->mark;
    bool ok = true;
    if (!(p.min < p.max)) {
        r.problem("max", fmt::format("max ({}) must be above min ({})", sweep::format_value(p.max),
                                     sweep::format_value(p.min)));
        ok = false;
    }
    if (p.log && p.min <= 0) {
        r.problem("min", fmt::format("scale: log needs min above 0 (got {})", sweep::format_value(p.min)));
        ok = false;
    }
    if (p.integer && (p.min != std::floor(p.min) || p.max != std::floor(p.max))) {
        r.problem("min", fmt::format("'{}' takes whole numbers: min and max must be whole (got {} "
                                     "and {})",
                                     p.name, sweep::format_value(p.min), sweep::format_value(p.max)));
        ok = false;
    }
    if (ok && p.start && (*p.start < p.min || *p.start > p.max)) {
        r.problem("start", fmt::format("{} is outside the range {} to {}", sweep::format_value(*p.start),
                                       sweep::format_value(p.min), sweep::format_value(p.max)));
        ok = false;
    }
    if (ok) spec.parameters.push_back(std::move(p));
}

std::optional<DayRef> read_day(MapReader& r, const Node& n, const std::string& path) {
    DayRef d;
    d.mark = n.mark;
    if (n.is_scalar() && !n.quoted) {
        if (auto x = doc::parse_number(n)) {
            if (*x != std::floor(*x) || *x < 0 || *x > 1e7) {
                r.problems().add(n.mark, path,
                                 fmt::format("{} is not a day (a whole number from 0, the start "
                                             "date, or a date YYYY-MM-DD)",
                                             n.scalar));
                return std::nullopt;
            }
            d.day = static_cast<long long>(*x);
            return d;
        }
    }
    if (n.is_scalar() && Date::parse(n.scalar)) {
        d.date = n.scalar;
        return d;
    }
    r.problems().add(n.mark, path,
                     fmt::format("expected a day (0 = the start date) or a date YYYY-MM-DD, got {}",
                                 n.is_scalar() ? "'" + n.scalar + "'" : std::string("a ") + n.kind_name()));
    return std::nullopt;
}

void read_target(const Node& node, std::size_t index, TargetsSpec& spec, Seen& seen, doc::Problems& problems) {
    Target t;
    t.path = item_path("targets", index);
    t.mark = node.mark;
    if (!node.is_map()) {
        problems.add(node.mark, t.path,
                     "expected a map such as {name: peak, statistic: peak_fighters, band: [1000, "
                     "1500], source: F01}");
        return;
    }
    MapReader r(node, t.path, problems);
    r.allow({"name", "statistic", "band", "source", "weight", "aggregate", "window", "at"});
    bool ok = true;
    if (auto name = r.string("name", true)) {
        t.name = *name;
        if (t.name.empty() || !std::all_of(t.name.begin(), t.name.end(), is_column_char)) {
            r.problem("name", fmt::format("'{}' is not a name (letters, digits and '_'; it becomes "
                                          "a CSV column)",
                                          t.name));
            ok = false;
        }
        if (const auto [it, fresh] = seen.emplace(t.name, node.mark.line); !fresh) {
            r.problem("name", fmt::format("'{}' is used twice (also at line {})", t.name, it->second));
            ok = false;
        }
    } else {
        ok = false;
    }
    if (auto st = r.string("statistic", true)) {
        t.statistic = *st;
        t.statistic_mark = r.get("statistic")->mark;
        std::string_view rest = t.statistic;
        for (;;) {
            const auto plus = rest.find('+');
            std::string term = trim(rest.substr(0, plus));
            if (term.empty() || !std::all_of(term.begin(), term.end(), is_column_char)) {
                r.problem("statistic", fmt::format("'{}' is not a column name or a sum of column "
                                                   "names (e.g. peak_fighters, or "
                                                   "fighters_at_large_iraq + fighters_at_large_syria)",
                                                   t.statistic));
                ok = false;
                break;
            }
            t.terms.push_back(std::move(term));
            if (plus == std::string_view::npos) break;
            rest.remove_prefix(plus + 1);
        }
    } else {
        ok = false;
    }
    if (const Node* b = r.sequence("band", true)) {
        t.band_mark = b->mark;
        if (b->items.size() != 2) {
            r.problem("band", fmt::format("expected [lo, hi] (two numbers; null for an open end), got "
                                          "{} item{}",
                                          b->items.size(), b->items.size() == 1 ? "" : "s"));
            ok = false;
        } else {
            const double inf = std::numeric_limits<double>::infinity();
            double ends[2] = {-inf, inf};
            for (std::size_t i = 0; i < 2; ++i) {
                const Node& e = b->items[i];
                if (is_null_node(e)) continue;
                if (auto x = doc::parse_number(e)) {
                    ends[i] = *x;
                } else {
                    problems.add(e.mark, item_path(t.path + ".band", i),
                                 fmt::format("expected a number or null (an open end), got {}",
                                             e.is_scalar() ? "'" + e.scalar + "'"
                                                           : std::string("a ") + e.kind_name()));
                    ok = false;
                }
            }
            t.lo = ends[0];
            t.hi = ends[1];
            if (ok && !std::isfinite(t.lo) && !std::isfinite(t.hi)) {
                r.problem("band", "both ends are open: give at least one number");
                ok = false;
            } else if (ok && !(t.lo < t.hi)) {
                r.problem("band", fmt::format("the band's lower end ({}) must be below its upper "
                                              "end ({})",
                                              sweep::format_value(t.lo), sweep::format_value(t.hi)));
                ok = false;
            }
        }
    } else {
        ok = false;
    }
    if (auto s = r.string("source", true)) {
        t.source = *s;
        if (trim(t.source).empty()) {
            r.problem("source", "give the figure id (e.g. F01) or a citation the band comes from");
            ok = false;
        }
    } else {
        ok = false;
    }
    if (auto w = r.number("weight", 0, 1e6, "", false, 1.0)) {
        t.weight = *w;
        if (t.weight <= 0) {
            r.problem("weight", "must be above 0 (drop the target instead)");
            ok = false;
        }
    } else {
        ok = false;
    }
    if (r.has("aggregate")) {
        if (auto a = r.choice("aggregate", {"mean", "sum", "min", "max", "first", "last", "per_30_days"},
                              false))
            t.aggregate = static_cast<Aggregate>(*a);
        else
            ok = false;
    }
    if (r.has("window") && r.has("at")) {
        r.problem("at", "give either 'window: [from, to]' or 'at: day', not both");
        ok = false;
    } else if (const Node* w = r.has("window") ? r.sequence("window", false) : nullptr) {
        if (w->items.size() != 2) {
            r.problem("window", "expected [from, to]: two days (0 = the start date) or dates "
                                "YYYY-MM-DD, both included");
            ok = false;
        } else {
            t.from = read_day(r, w->items[0], t.path + ".window[0]");
            t.to = read_day(r, w->items[1], t.path + ".window[1]");
            if (!t.from || !t.to) ok = false;
        }
    } else if (r.has("window")) {
        ok = false;  // sequence() recorded the problem
    } else if (const Node* at = r.get("at")) {
        t.from = read_day(r, *at, t.path + ".at");
        t.to = t.from;
        t.at = true;
        if (!t.from) ok = false;
        if (!t.aggregate) t.aggregate = Aggregate::last;
    }
    if (ok) spec.targets.push_back(std::move(t));
}

}  // namespace

TargetsSpec read_targets_text(const std::string& text, const std::string& name) {
    const Node root_node = parse_document(text, name);
    doc::Problems problems;
    TargetsSpec spec;
    spec.file = name;
    if (!root_node.is_map()) {
        problems.add(root_node.mark, "",
                     "a targets file is a map with at least parameters and targets (see "
                     "docs/calibration.md)");
        problems.finish();
    }
    MapReader root(root_node, "", problems);
    root.allow({"name", "description", "scenario", "overrides", "replications", "seed", "budget",
                "screen", "restarts", "tie_break", "parameters", "targets"});

    spec.name = fs::path(name).stem().string();
    if (auto n = root.string("name", false)) {
        if (n->empty() || !std::all_of(n->begin(), n->end(), is_name_char))
            root.problem("name", fmt::format("'{}' is not a name (letters, digits, '_', '-', '.')", *n));
        else
            spec.name = *n;
    }
    spec.description = root.string("description", false, "").value_or("");
    if (auto s = root.string("scenario", false)) {
        spec.scenario = *s;
        const fs::path sp(*s);
        spec.scenario_path = sp.is_absolute() ? sp : fs::path(name).parent_path() / sp;
    }
    if (const Node* ov = root.sequence("overrides", false)) {
        for (std::size_t i = 0; i < ov->items.size(); ++i) {
            const Node& o = ov->items[i];
            const std::string op = item_path("overrides", i);
            if (!o.is_scalar() || o.scalar.find('=') == std::string::npos || o.scalar.front() == '=') {
                problems.add(o.mark, op, "expected key=value text, e.g. horizon_days=365");
                continue;
            }
            const std::string key = o.scalar.substr(0, o.scalar.find('='));
            if (key == "seed" || key == "replications") {
                problems.add(o.mark, op, fmt::format("set '{}' with the targets file's own '{}' key "
                                                     "(or -{} on the command line)",
                                                     key, key, key == "seed" ? 's' : 'r'));
                continue;
            }
            spec.overrides.push_back(o.scalar);
            spec.override_marks.push_back(o.mark);
        }
    }
    if (root.has("replications"))
        if (auto r = root.integer("replications", 2, 1'000'000, false))
            spec.replications = static_cast<int>(*r);
    if (root.has("seed"))
        if (auto s = root.integer("seed", 0, std::numeric_limits<long long>::max(), false))
            spec.seed = static_cast<std::uint64_t>(*s);
    if (root.has("budget"))
        if (auto b = root.integer("budget", 1, kMaxBudget, false)) spec.budget = static_cast<int>(*b);
    if (root.has("screen"))
        if (auto s = root.integer("screen", 0, kMaxBudget, false)) spec.screen = static_cast<int>(*s);
    if (auto r = root.integer("restarts", 0, 1000, false, 2)) spec.restarts = static_cast<int>(*r);
    if (auto tb = root.number("tie_break", 0, 1, "", false, 1e-3)) spec.tie_break = *tb;

    if (const Node* params = root.sequence("parameters", true)) {
        if (params->items.empty())
            root.problem("parameters", "the list is empty: name at least one parameter to fit");
        Seen seen;
        for (std::size_t i = 0; i < params->items.size(); ++i)
            read_parameter(params->items[i], i, spec, seen, problems);
    }
    if (const Node* targets = root.sequence("targets", true)) {
        if (targets->items.empty())
            root.problem("targets", "the list is empty: give at least one target statistic");
        Seen seen;
        for (std::size_t i = 0; i < targets->items.size(); ++i)
            read_target(targets->items[i], i, spec, seen, problems);
    }
    problems.finish();
    return spec;
}

TargetsSpec read_targets_file(const std::string& path) {
    std::string why;
    const auto text = read_input_file(path, why);
    if (!text)
        throw InputError(std::vector<Problem>{
            Problem{path, 0, 0, {}, fmt::format("cannot read the targets file: {}", why)}});
    return read_targets_text(*text, path);
}

}  // namespace resurgence::calibrate
