#include "event_common.hpp"

#include <fmt/format.h>

namespace resurgence::events {

std::vector<int> read_regions(doc::MapReader& reader, std::string_view key,
                              const ScenarioSpec& spec, bool required) {
    std::vector<int> out;
    const doc::Node* node = reader.get(key);
    if (node == nullptr) {
        if (required) {
            reader.problem(key, fmt::format("missing: a list of region ids, or all"));
            return out;
        }
        for (std::size_t r = 0; r < spec.regions.size(); ++r) out.push_back(static_cast<int>(r));
        return out;
    }
    auto known = [&] {
        std::string ids;
        for (const auto& r : spec.regions) ids += (ids.empty() ? "" : ", ") + r.id;
        return ids;
    };
    if (node->is_scalar() && node->scalar == "all") {
        for (std::size_t r = 0; r < spec.regions.size(); ++r) out.push_back(static_cast<int>(r));
        return out;
    }
    if (!node->is_sequence() || node->items.empty()) {
        reader.problem(key, "expected a non-empty list of region ids, or all");
        return out;
    }
    for (std::size_t i = 0; i < node->items.size(); ++i) {
        const auto& item = node->items[i];
        const int r = item.is_scalar() ? spec.region_index(item.scalar) : -1;
        if (r < 0) {
            reader.problems().add(item.mark, fmt::format("{}[{}]", reader.path_of(key), i),
                                  fmt::format("no region '{}' (regions: {})", item.scalar, known()));
            continue;
        }
        out.push_back(r);
    }
    return out;
}

int read_force(doc::MapReader& reader, std::string_view key, const ScenarioSpec& spec) {
    const auto name = reader.string(key, true);
    if (!name) return -1;
    const int f = spec.force_index(*name);
    if (f < 0) {
        std::string known;
        for (const auto& fs : spec.forces) known += (known.empty() ? "" : ", ") + fs.faction;
        reader.problem(key, fmt::format("no force with faction '{}' (forces: {})", *name,
                                        known.empty() ? "none declared" : known));
    }
    return f;
}

std::string describe_regions(const std::vector<int>& regions, const ScenarioSpec& spec) {
    if (regions.size() == spec.regions.size() && regions.size() > 3) return "all regions";
    if (regions.size() > 3) return fmt::format("{} regions", regions.size());
    std::string s;
    for (int r : regions) s += (s.empty() ? "" : ", ") + spec.regions[static_cast<std::size_t>(r)].id;
    return s;
}

}  // namespace resurgence::events
