// force_change: a faction's strength in some regions moves to a target over `ramp_days`
// (model-spec §6): a troop withdrawal (S02), a surge, cutting Epstein's cops. The target is a
// fraction of the strength on the day the event fires, or an absolute strength per region.
#include <fmt/format.h>

#include "event_common.hpp"
#include "events_impl.hpp"
#include "resurgence/model/state.hpp"

namespace resurgence::events {
namespace {

class ForceChange final : public Event {
public:
    ForceChange(int day, SourceLoc loc, int force, std::vector<int> regions,
                std::optional<double> fraction, std::optional<double> strength, int ramp_days)
        : Event("force_change", day, std::move(loc)), force_(force), regions_(std::move(regions)),
          fraction_(fraction), strength_(strength), ramp_days_(ramp_days) {}

    void apply(SimState& state) const override {
        auto& current = state.forces.strength[static_cast<std::size_t>(force_)];
        ForceRamp* ramp = nullptr;
        if (ramp_days_ > 0) {
            // A free slot of the pool (one per scheduled event, so there always is one).
            for (auto& slot : state.forces.ramps)
                if (slot.days_left <= 0) { ramp = &slot; break; }
            if (ramp == nullptr) throw InvariantViolation("force_change: no free ramp slot");
            std::fill(ramp->per_day.begin(), ramp->per_day.end(), 0.0);
            ramp->force = force_;
            ramp->days_left = ramp_days_;
        }
        for (int r : regions_) {
            double& s = current[static_cast<std::size_t>(r)];
            const double target = fraction_ ? s * *fraction_ : *strength_;
            if (ramp == nullptr) {
                state.security.rescale_deficit(force_, r, s, target);
                s = target;
            } else ramp->per_day[static_cast<std::size_t>(r)] = (target - s) / ramp_days_;
        }
    }

    std::string summary(const ScenarioSpec& spec) const override {
        const auto& faction = spec.forces[static_cast<std::size_t>(force_)].faction;
        const std::string target = fraction_ ? fmt::format("{:g}% of its strength", *fraction_ * 100)
                                             : fmt::format("{:g} personnel", *strength_);
        return fmt::format("{} to {} in {}{}", faction, target, describe_regions(regions_, spec),
                           ramp_days_ > 0 ? fmt::format(" over {} days", ramp_days_) : std::string());
    }

private:
    int force_;
    std::vector<int> regions_;
    std::optional<double> fraction_;
    std::optional<double> strength_;
    int ramp_days_;
};

}  // namespace

std::shared_ptr<const Event> parse_force_change(doc::MapReader& reader, const ScenarioSpec& spec,
                                                int day, SourceLoc loc) {
    reader.allow({"kind", "day", "date", "note", "faction", "regions", "fraction", "strength",
                  "ramp_days"});
    const int force = read_force(reader, "faction", spec);
    auto regions = read_regions(reader, "regions", spec, false);
    const bool has_fraction = reader.has("fraction"), has_strength = reader.has("strength");
    if (has_fraction == has_strength) {
        reader.problem(has_fraction ? "strength" : "fraction",
                       "give exactly one of fraction (of current strength, 0 to 10) or strength "
                       "(personnel per region)");
        return nullptr;
    }
    std::optional<double> fraction, strength;
    if (has_fraction) fraction = reader.number("fraction", 0.0, 10.0, "of current strength", true);
    if (has_strength) strength = reader.number("strength", 0.0, 1e7, "personnel", true);
    const auto ramp = reader.integer("ramp_days", 0, 3650, false, 0);
    if (force < 0 || regions.empty() || !ramp || (!fraction && !strength)) return nullptr;
    return std::make_shared<ForceChange>(day, std::move(loc), force, std::move(regions), fraction,
                                         strength, static_cast<int>(*ramp));
}

}  // namespace resurgence::events
