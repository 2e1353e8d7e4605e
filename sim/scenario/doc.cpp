#include "resurgence/scenario/doc.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <tuple>
#include <utility>

#include "schema.hpp"

namespace resurgence::doc {

// ---- Node

const Node* Node::find(std::string_view key) const noexcept {
    if (kind != Kind::map) return nullptr;
    for (const auto& [k, v] : entries)
        if (k.kind == Kind::scalar && k.scalar == key) return &v;
    return nullptr;
}

Node* Node::find(std::string_view key) noexcept {
    return const_cast<Node*>(std::as_const(*this).find(key));
}

const char* Node::kind_name() const noexcept {
    switch (kind) {
        case Kind::null: return "null";
        case Kind::scalar: return "scalar";
        case Kind::sequence: return "sequence";
        case Kind::map: return "map";
    }
    return "?";
}

// ---- Problems

namespace {
// Orders "<override 2>" before "<override 10>": runs of digits compare as numbers.
int natural_compare(std::string_view a, std::string_view b) noexcept {
    std::size_t i = 0, j = 0;
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    while (i < a.size() && j < b.size()) {
        if (digit(a[i]) && digit(b[j])) {
            std::size_t ie = i, je = j;
            while (ie < a.size() && a[ie] == '0') ++ie;  // leading zeros do not count
            while (je < b.size() && b[je] == '0') ++je;
            std::size_t in = ie, jn = je;
            while (in < a.size() && digit(a[in])) ++in;
            while (jn < b.size() && digit(b[jn])) ++jn;
            if (in - ie != jn - je) return in - ie < jn - je ? -1 : 1;
            if (const int c = a.substr(ie, in - ie).compare(b.substr(je, jn - je)); c != 0) return c;
            i = in;
            j = jn;
            continue;
        }
        if (a[i] != b[j]) return a[i] < b[j] ? -1 : 1;
        ++i;
        ++j;
    }
    if (i == a.size() && j == b.size()) return 0;
    return i == a.size() ? -1 : 1;
}
}  // namespace

void Problems::add(const Mark& at, std::string path, std::string message) {
    list_.push_back(Problem{at.file ? *at.file : std::string(), at.line, at.column,
                            std::move(path), std::move(message)});
}

void Problems::finish() const {
    if (list_.empty()) return;
    std::vector<Problem> sorted = list_;
    // Reading order, so that a user fixes a file top to bottom; ties keep discovery order.
    std::stable_sort(sorted.begin(), sorted.end(), [](const Problem& a, const Problem& b) {
        const int files = natural_compare(a.file, b.file);
        if (files != 0) return files < 0;
        return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    // The same problem can be found twice (an alias copies a bad value; a reader and an event
    // parser both look at one key): say it once.
    sorted.erase(std::unique(sorted.begin(), sorted.end(),
                             [](const Problem& a, const Problem& b) { return a.str() == b.str(); }),
                 sorted.end());
    throw InputError(std::move(sorted));
}

// ---- scalar conversions

namespace {

// YAML 1.2 core-schema decimal numbers: [-+]? ( digits [. digits?] | . digits ) ([eE][-+]?digits)?
// Hex, octal, .inf and .nan are not numbers a scenario needs, and "1_000" is YAML 1.1 only.
bool looks_numeric(std::string_view s) noexcept {
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
    }
    if (digits == 0) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        std::size_t exp = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp;
        if (exp == 0) return false;
    }
    return i == s.size();
}

}  // namespace

std::optional<double> parse_number(const Node& scalar) noexcept {
    if (!scalar.is_scalar() || scalar.quoted) return std::nullopt;
    std::string_view s = scalar.scalar;
    if (!looks_numeric(s)) return std::nullopt;
    if (s.front() == '+') s.remove_prefix(1);  // from_chars does not take a leading '+'
    double v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc{} || r.ptr != s.data() + s.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

std::optional<bool> parse_bool(const Node& scalar) noexcept {
    if (!scalar.is_scalar() || scalar.quoted) return std::nullopt;
    const std::string& s = scalar.scalar;
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    return std::nullopt;
}

// ---- MapReader

MapReader::MapReader(const Node& map, std::string path, Problems& problems)
    : map_(map), path_(std::move(path)), problems_(problems) {}

void MapReader::allow(std::initializer_list<std::string_view> keys,
                      std::initializer_list<std::pair<std::string_view, std::string_view>> unbuilt) {
    schema::check_keys(map_, path_, problems_, std::span(keys.begin(), keys.size()),
                       std::span(unbuilt.begin(), unbuilt.size()));
}

bool MapReader::has(std::string_view key) const noexcept { return map_.find(key) != nullptr; }

const Node* MapReader::get(std::string_view key) const noexcept { return map_.find(key); }

std::string MapReader::path_of(std::string_view key) const { return schema::key_path(path_, key); }

void MapReader::problem(std::string_view key, std::string message) {
    const Node* v = get(key);
    problems_.add(v != nullptr ? v->mark : map_.mark, path_of(key), std::move(message));
}

namespace {

// The problem for a required key that is absent sits at the map that should hold it, and the
// path is the map's: "regions[0]: missing required key 'population'". At the top of a file the
// map has no path, and the key names itself: "start_date: missing required key 'start_date'".
void missing(const Node& map, const std::string& path, std::string_view key, Problems& problems,
             std::string_view expected) {
    problems.add(map.mark, path.empty() ? std::string(key) : path,
                 fmt::format("missing required key '{}' ({})", key, expected));
}

std::string range_text(double lo, double hi, std::string_view unit, bool whole) {
    std::string r;
    const bool no_lo = lo == -std::numeric_limits<double>::infinity() ||
                       lo <= -static_cast<double>(std::numeric_limits<long long>::max());
    const bool no_hi = hi == std::numeric_limits<double>::infinity() ||
                       hi >= static_cast<double>(std::numeric_limits<long long>::max());
    if (no_lo && no_hi) r = "any number";
    else if (no_hi) r = fmt::format("{} or more", schema::format_number(lo));
    else if (no_lo) r = fmt::format("at most {}", schema::format_number(hi));
    else r = fmt::format("{} to {}", schema::format_number(lo), schema::format_number(hi));
    if (!unit.empty()) r += fmt::format(" {}", unit);
    if (whole) r += ", whole numbers";
    return "allowed: " + r;
}

std::string wrong_type(const Node& v, std::string_view expected) {
    if (v.is_scalar() && v.quoted)
        return fmt::format("expected {}, got the quoted text {} (remove the quotes)", expected,
                           schema::describe(v));
    return fmt::format("expected {}, got {}", expected, schema::describe(v));
}

}  // namespace

std::optional<double> MapReader::number(std::string_view key, double lo, double hi,
                                        std::string_view unit, bool required,
                                        std::optional<double> fallback) {
    const std::string range = range_text(lo, hi, unit, false);
    const Node* v = get(key);
    if (v == nullptr) {
        if (required) missing(map_, path_, key, problems_, "a number, " + range);
        return fallback;
    }
    const auto x = parse_number(*v);
    if (!x) {
        problem(key, wrong_type(*v, "a number (" + range + ")"));
        return std::nullopt;
    }
    if (*x < lo) {
        problem(key, fmt::format("{} is below {} ({})", v->scalar, schema::format_number(lo), range));
        return std::nullopt;
    }
    if (*x > hi) {
        problem(key, fmt::format("{} is above {} ({})", v->scalar, schema::format_number(hi), range));
        return std::nullopt;
    }
    return x;
}

std::optional<long long> MapReader::integer(std::string_view key, long long lo, long long hi,
                                            bool required, std::optional<long long> fallback) {
    const std::string range =
        range_text(static_cast<double>(lo), static_cast<double>(hi), "", true);
    const Node* v = get(key);
    if (v == nullptr) {
        if (required) missing(map_, path_, key, problems_, "a whole number, " + range);
        return fallback;
    }
    if (!v->is_scalar() || v->quoted || !looks_numeric(v->scalar)) {
        problem(key, wrong_type(*v, "a whole number (" + range + ")"));
        return std::nullopt;
    }
    std::string_view s = v->scalar;
    if (s.front() == '+') s.remove_prefix(1);
    long long n = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), n);
    if (r.ec == std::errc::result_out_of_range) {
        problem(key, fmt::format("{} is {} ({})", v->scalar,
                                 s.front() == '-' ? "far too small" : "far too large", range));
        return std::nullopt;
    }
    if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) {
        // Not plain digits: 1e3 or 30.0 are whole numbers written another way; 2.5 is not.
        const auto x = parse_number(*v);
        if (!x || *x != std::floor(*x)) {
            problem(key, fmt::format("{} is not a whole number ({})", v->scalar, range));
            return std::nullopt;
        }
        // 2^63 and beyond do not fit a long long; the cast below must not overflow.
        if (*x < static_cast<double>(lo) || *x > static_cast<double>(hi) ||
            !(std::fabs(*x) < 9.2e18)) {
            problem(key, fmt::format("{} is {} ({})", v->scalar,
                                     *x < static_cast<double>(lo) ? "too small" : "too large",
                                     range));
            return std::nullopt;
        }
        n = static_cast<long long>(*x);
    }
    if (n < lo) {
        problem(key, fmt::format("{} is below {} ({})", v->scalar, lo, range));
        return std::nullopt;
    }
    if (n > hi) {
        problem(key, fmt::format("{} is above {} ({})", v->scalar, hi, range));
        return std::nullopt;
    }
    return n;
}

std::optional<bool> MapReader::boolean(std::string_view key, bool required,
                                       std::optional<bool> fallback) {
    const Node* v = get(key);
    if (v == nullptr) {
        if (required) missing(map_, path_, key, problems_, "true or false");
        return fallback;
    }
    const auto b = parse_bool(*v);
    if (!b) {
        problem(key, wrong_type(*v, "true or false"));
        return std::nullopt;
    }
    return b;
}

std::optional<std::string> MapReader::string(std::string_view key, bool required,
                                             std::optional<std::string> fallback) {
    const Node* v = get(key);
    if (v == nullptr) {
        if (required) missing(map_, path_, key, problems_, "text");
        return fallback;
    }
    if (!v->is_scalar()) {
        problem(key, fmt::format("expected text, got {}", schema::describe(*v)));
        return std::nullopt;
    }
    return v->scalar;
}

std::optional<int> MapReader::choice(std::string_view key,
                                     std::initializer_list<std::string_view> choices,
                                     bool required, std::optional<int> fallback) {
    const auto names = schema::to_strings(choices);
    const Node* v = get(key);
    if (v == nullptr) {
        if (required) missing(map_, path_, key, problems_, "one of: " + schema::join(names));
        return fallback;
    }
    if (v->is_scalar()) {
        const auto it = std::find(choices.begin(), choices.end(), v->scalar);
        if (it != choices.end()) return static_cast<int>(it - choices.begin());
        problem(key, fmt::format("{} is not one of: {}{}", schema::describe(*v), schema::join(names),
                                 schema::did_you_mean(v->scalar, names)));
        return std::nullopt;
    }
    problem(key, fmt::format("expected one of: {}; got {}", schema::join(names), schema::describe(*v)));
    return std::nullopt;
}

const Node* MapReader::map(std::string_view key, bool required) {
    const Node* v = get(key);
    if (v == nullptr) {
        if (required) missing(map_, path_, key, problems_, "a map of key: value lines");
        return nullptr;
    }
    if (!v->is_map()) {
        problem(key, fmt::format("expected a map of key: value lines, got {}", schema::describe(*v)));
        return nullptr;
    }
    return v;
}

const Node* MapReader::sequence(std::string_view key, bool required) {
    const Node* v = get(key);
    if (v == nullptr) {
        if (required) missing(map_, path_, key, problems_, "a list of '- ' items");
        return nullptr;
    }
    if (!v->is_sequence()) {
        problem(key, fmt::format("expected a list of '- ' items, got {}", schema::describe(*v)));
        return nullptr;
    }
    return v;
}

}  // namespace resurgence::doc
