// Helpers shared by the schema readers, doc.cpp and the loader (declared in schema.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "schema.hpp"

namespace resurgence::schema {

std::string format_number(double v) {
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15)
        return fmt::format("{}", static_cast<long long>(v));
    return fmt::format("{}", v);  // shortest text that reads back to the same double
}

std::string join(const std::vector<std::string>& items, std::size_t max_items) {
    std::string out;
    const std::size_t shown = std::min(items.size(), max_items);
    for (std::size_t i = 0; i < shown; ++i) {
        if (i > 0) out += ", ";
        out += items[i];
    }
    if (shown < items.size()) out += fmt::format(", … ({} in all)", items.size());
    return out;
}

namespace {
// Levenshtein distance, capped: words longer than a key are never typos of it.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    if (a.size() > 64 || b.size() > 64) return std::numeric_limits<std::size_t>::max();
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}
}  // namespace

std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string>& candidates) {
    // Up to a third of the word may be wrong (at least one letter): "legitimcy" -> "legitimacy",
    // but "seed" is not offered for "size".
    const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
    std::optional<std::string> best;
    std::size_t best_d = limit + 1;
    for (const auto& c : candidates) {
        const std::size_t d = edit_distance(word, c);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    const auto c = closest(word, candidates);
    return c && *c != word ? fmt::format("; did you mean '{}'?", *c) : std::string();
}

std::string describe(const doc::Node& node) {
    switch (node.kind) {
        case doc::Node::Kind::null: return "nothing";
        case doc::Node::Kind::sequence: return "a list";
        case doc::Node::Kind::map: return "a map";
        case doc::Node::Kind::scalar: break;
    }
    // Long or multi-line text is cut so that one problem stays on one line.
    std::string text = node.scalar.substr(0, 60);
    std::replace(text.begin(), text.end(), '\n', ' ');
    if (text.size() < node.scalar.size()) text += "…";
    return node.quoted ? fmt::format("\"{}\"", text) : fmt::format("'{}'", text);
}

std::string where(const doc::Mark& at, const doc::Mark& from) {
    const bool same_file = (at.file == from.file) || (at.file && from.file && *at.file == *from.file);
    if (at.line <= 0) return same_file ? "here" : fmt::format("in {}", at.file ? *at.file : "?");
    if (same_file) return fmt::format("line {}", at.line);
    return fmt::format("{} line {}", at.file ? *at.file : "?", at.line);
}

bool is_identifier(std::string_view text) noexcept {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

std::string index_path(const std::string& base, std::size_t i) {
    return fmt::format("{}[{}]", base, i);
}

std::string key_path(const std::string& base, std::string_view key) {
    return base.empty() ? std::string(key) : fmt::format("{}.{}", base, key);
}

SourceLoc loc_of(const doc::Node& node) {
    return SourceLoc{node.mark.file ? *node.mark.file : std::string(), node.mark.line,
                     node.mark.column};
}

void check_keys(const doc::Node& map, const std::string& path, doc::Problems& problems,
                std::span<const std::string_view> allowed,
                std::span<const std::pair<std::string_view, std::string_view>> unbuilt) {
    if (!map.is_map()) return;
    std::vector<std::string> names = to_strings(allowed);
    for (const auto& entry : map.entries) {
        const doc::Node& key = entry.first;  // (clang 14 cannot capture structured bindings)
        if (!key.is_scalar()) continue;      // the parser has already rejected it
        if (std::find(allowed.begin(), allowed.end(), key.scalar) != allowed.end()) continue;
        const auto u = std::find_if(unbuilt.begin(), unbuilt.end(),
                                    [&](const auto& p) { return p.first == key.scalar; });
        if (u != unbuilt.end()) {
            problems.add(key.mark, key_path(path, key.scalar),
                         fmt::format("'{}' {}", key.scalar, u->second));
            continue;
        }
        problems.add(key.mark, key_path(path, key.scalar),
                     fmt::format("unknown key '{}'{} (allowed: {})", key.scalar,
                                 did_you_mean(key.scalar, names), join(names)));
    }
}

std::optional<double> positive(doc::MapReader& reader, std::string_view key, double hi,
                               std::string_view unit, bool required,
                               std::optional<double> fallback) {
    const doc::Node* node = reader.get(key);
    const std::string range = fmt::format("allowed: more than 0, up to {}{}{}", format_number(hi),
                                          unit.empty() ? "" : " ", unit);
    if (node == nullptr) {
        if (required)
            reader.problems().add(reader.node().mark, reader.path(),
                                  fmt::format("missing required key '{}' (a number, {})", key, range));
        return fallback;
    }
    const auto v = doc::parse_number(*node);
    if (!v) {
        reader.problem(key, fmt::format("expected a number ({}), got {}", range, describe(*node)));
        return std::nullopt;
    }
    if (*v <= 0.0) {
        reader.problem(key, fmt::format("{} is not above 0 ({})", node->scalar, range));
        return std::nullopt;
    }
    if (*v > hi) {
        reader.problem(key, fmt::format("{} is above {} ({})", node->scalar, format_number(hi), range));
        return std::nullopt;
    }
    return v;
}

std::optional<std::string> identifier(doc::MapReader& reader, std::string_view key,
                                      bool required) {
    auto s = reader.string(key, required);
    if (!s) return s;
    if (!is_identifier(*s)) {
        reader.problem(key, fmt::format("'{}' is not a valid name (use lowercase letters a-z, "
                                        "digits and _, e.g. nineveh or iraqi_army)",
                                        *s));
        return std::nullopt;
    }
    return s;
}

namespace {
std::vector<std::string> region_ids(const ScenarioSpec& spec) {
    std::vector<std::string> ids;
    for (const auto& r : spec.regions) ids.push_back(r.id);
    return ids;
}
}  // namespace

std::string unknown_ref(std::string_view what, std::string_view plural, std::string_view name,
                        const std::vector<std::string>& known) {
    return fmt::format("no {} '{}'{} ({}: {})", what, name, did_you_mean(name, known), plural,
                       known.empty() ? std::string("none declared") : join(known));
}

int region_ref(doc::MapReader& reader, std::string_view key, const ScenarioSpec& spec,
               bool required) {
    const auto id = reader.string(key, required);
    if (!id) return -1;
    const int r = spec.region_index(*id);
    if (r < 0) reader.problem(key, unknown_ref("region", "regions", *id, region_ids(spec)));
    return r;
}

int region_ref_at(const doc::Node& node, const std::string& path, const ScenarioSpec& spec,
                  doc::Problems& problems) {
    if (!node.is_scalar()) {
        problems.add(node.mark, path, fmt::format("expected a region id, got {}", describe(node)));
        return -1;
    }
    const int r = spec.region_index(node.scalar);
    if (r < 0)
        problems.add(node.mark, path, unknown_ref("region", "regions", node.scalar, region_ids(spec)));
    return r;
}

std::optional<std::vector<double>> shares_dynamic(doc::MapReader& reader, std::string_view key,
                                                  std::span<const std::string_view> names) {
    const doc::Node* node = reader.map(key, true);
    if (node == nullptr) return std::nullopt;
    doc::MapReader m(*node, reader.path_of(key), reader.problems());
    check_keys(*node, m.path(), m.problems(), names);
    std::vector<double> out(names.size(), 0.0);
    bool ok = true;
    double sum = 0;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const auto v = m.number(names[i], 0.0, 1.0, "", false, 0.0);
        if (!v) {
            ok = false;
            continue;
        }
        out[i] = *v;
        sum += *v;
    }
    for (const auto& [k, v] : node->entries) {
        (void)v;
        if (std::find(names.begin(), names.end(), k.scalar) == names.end()) ok = false;
    }
    if (!ok) return std::nullopt;
    if (std::fabs(sum - 1.0) > 1e-6) {
        std::string terms;
        for (const auto& n : names) terms += (terms.empty() ? "" : " + ") + std::string(n);
        reader.problem(key, fmt::format("the shares sum to {} (they must sum to 1: {})",
                                        format_number(sum), terms));
        return std::nullopt;
    }
    return out;
}

}  // namespace resurgence::schema
