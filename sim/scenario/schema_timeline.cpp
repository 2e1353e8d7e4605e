// events: the scenario's timeline (model-spec §6). The common keys (kind, day or date, note)
// are read here; each kind's own keys by its parser in sim/scenario/events/.
#include <fmt/format.h>

#include <algorithm>

#include "resurgence/scenario/events.hpp"
#include "schema.hpp"

namespace resurgence::schema {
namespace {

std::vector<std::string> kind_names() {
    std::vector<std::string> out;
    for (const auto& k : event_kinds()) out.emplace_back(k.name);
    return out;
}

}  // namespace

// The header reader has already reported a bad start_date or horizon_days; days of the run then
// skip their range checks instead of adding noise.
bool header_ok(const doc::MapReader& root, std::string_view key) {
    const doc::Node* n = root.get(key);
    if (n == nullptr || !n->is_scalar()) return false;
    if (key == "start_date") return Date::parse(n->scalar).has_value();
    const auto v = doc::parse_number(*n);
    return v && *v >= 1 && *v <= 36500 && *v == static_cast<double>(static_cast<long long>(*v));
}

std::optional<int> day_in_run(doc::MapReader& r, const ScenarioSpec& spec, bool start_ok,
                              bool horizon_ok, std::string_view day_key,
                              std::string_view date_key, bool required) {
    const bool has_day = r.has(day_key), has_date = r.has(date_key);
    if (has_day && has_date) {
        r.problem(date_key, fmt::format("give either {} or {}, not both", day_key, date_key));
        return std::nullopt;
    }
    const std::string window =
        start_ok && horizon_ok
            ? fmt::format("{} to {}", spec.start.iso(), spec.date_of(spec.horizon_days - 1).iso())
            : std::string("within the run");
    if (!has_day && !has_date) {
        if (required)
            r.problems().add(r.node().mark, r.path(),
                             fmt::format("missing required key '{}' (0 to {}) or '{}' ({})",
                                         day_key, horizon_ok ? spec.horizon_days - 1 : 36499,
                                         date_key, window));
        return std::nullopt;
    }
    if (has_day) {
        const auto d = r.integer(day_key, 0, horizon_ok ? spec.horizon_days - 1 : 36499, true);
        if (!d) return std::nullopt;
        return static_cast<int>(*d);
    }
    const auto text = r.string(date_key, true);
    if (!text) return std::nullopt;
    const auto date = Date::parse(*text);
    if (!date) {
        r.problem(date_key, fmt::format("'{}' is not a valid date (expected YYYY-MM-DD, e.g. "
                                        "2019-10-09)",
                                        *text));
        return std::nullopt;
    }
    if (!start_ok || !horizon_ok) return std::nullopt;
    const long d = date->serial() - spec.start.serial();
    if (d < 0 || d >= spec.horizon_days) {
        r.problem(date_key, fmt::format("{} is outside the run (allowed: {}, the start_date plus "
                                        "horizon_days)",
                                        *text, window));
        return std::nullopt;
    }
    return static_cast<int>(d);
}

void read_timeline(doc::MapReader& root, ScenarioSpec& spec) {
    const doc::Node* list = root.sequence("events", false);
    if (list == nullptr) return;
    const bool start_ok = header_ok(root, "start_date");
    const bool horizon_ok = header_ok(root, "horizon_days");
    const auto kinds = event_kinds();
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const doc::Node& item = list->items[i];
        const std::string path = index_path("events", i);
        if (!item.is_map()) {
            root.problems().add(item.mark, path,
                                fmt::format("expected a map {{kind: …, day: … or date: …}}, got {}",
                                            describe(item)));
            continue;
        }
        doc::MapReader ev(item, path, root.problems());
        const auto kind = ev.string("kind", true);
        if (!kind) continue;
        const auto k = std::find_if(kinds.begin(), kinds.end(),
                                    [&](const EventKind& x) { return x.name == *kind; });
        if (k == kinds.end()) {
            const auto names = kind_names();
            ev.problem("kind", fmt::format("unknown event kind '{}'{} (kinds: {})", *kind,
                                           did_you_mean(*kind, names), join(names)));
            continue;
        }
        if (k->parse == nullptr) {
            ev.problem("kind", fmt::format("event kind '{}' {}", k->name, k->not_built));
            continue;
        }
        const auto day = day_in_run(ev, spec, start_ok, horizon_ok, "day", "date", true);
        (void)ev.string("note", false);
        // The parser runs even when the day is bad, so that its problems are reported too.
        auto event = k->parse(ev, spec, day.value_or(0), loc_of(item));
        if (event && day) spec.events.push_back(std::move(event));
    }
    std::stable_sort(spec.events.begin(), spec.events.end(),
                     [](const auto& a, const auto& b) { return a->day() < b->day(); });
}

}  // namespace resurgence::schema
