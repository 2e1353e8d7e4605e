// legitimacy_shock: a sudden change in the legitimacy of the authorities in some regions
// (model-spec §6; Epstein 2002's legitimacy drops). Transient by default — legitimacy then
// relaxes back toward its baseline — or permanent, moving the baseline too.
#include <fmt/format.h>

#include <algorithm>

#include "event_common.hpp"
#include "events_impl.hpp"
#include "resurgence/model/state.hpp"

namespace resurgence::events {
namespace {

class LegitimacyShock final : public Event {
public:
    LegitimacyShock(int day, SourceLoc loc, std::vector<int> regions, double delta, bool permanent)
        : Event("legitimacy_shock", day, std::move(loc)),
          regions_(std::move(regions)), delta_(delta), permanent_(permanent) {}

    void apply(SimState& state) const override {
        auto& rs = state.regions;
        for (int r : regions_) {
            const auto i = static_cast<std::size_t>(r);
            rs.legitimacy[i] = std::clamp(rs.legitimacy[i] + delta_, 0.0, 1.0);
            if (permanent_) rs.legitimacy_base[i] = std::clamp(rs.legitimacy_base[i] + delta_, 0.0, 1.0);
        }
    }

    std::string summary(const ScenarioSpec& spec) const override {
        return fmt::format("legitimacy {:+g} in {}{}", delta_, describe_regions(regions_, spec),
                           permanent_ ? " (permanent)" : "");
    }

private:
    std::vector<int> regions_;
    double delta_;
    bool permanent_;
};

}  // namespace

std::shared_ptr<const Event> parse_legitimacy_shock(doc::MapReader& reader, const ScenarioSpec& spec,
                                                    int day, SourceLoc loc) {
    reader.allow({"kind", "day", "date", "note", "regions", "delta", "permanent"});
    auto regions = read_regions(reader, "regions", spec, false);
    const auto delta = reader.number("delta", -1.0, 1.0, "legitimacy", true);
    const auto permanent = reader.boolean("permanent", false, false);
    if (!delta || !permanent || regions.empty()) return nullptr;
    return std::make_shared<LegitimacyShock>(day, std::move(loc), std::move(regions), *delta, *permanent);
}

}  // namespace resurgence::events
