// reallocate: a faction moves a share of its personnel from one task to another (model-spec
// §6): the SDF pulling camp guards to the Turkish front (C05). The security posture phase
// applies it every day it is in force (state.forces.reallocations): the `to` task gains what
// the `from` task loses, and everything derived from the tasks follows — site guards
// (detention), border guards (crossings), patrols (pressure, arrests, raids).
//
//   - kind: reallocate
//     date: 2019-10-09
//     faction: sdf
//     from: guard             # patrol | border | guard | front | reserve
//     to: front
//     fraction: 0.5           # of the `from` share, 0 to 1
//     duration_days: 90       # omitted = until the end of the run
#include <fmt/format.h>

#include "../schema.hpp"
#include "event_common.hpp"
#include "events_impl.hpp"
#include "resurgence/model/state.hpp"

namespace resurgence::events {
namespace {

class Reallocate final : public Event {
  public:
    Reallocate(int day, SourceLoc loc, int force, Task from, Task to, double fraction, int days)
        : Event("reallocate", day, std::move(loc)),
          force_(force),
          from_(from),
          to_(to),
          fraction_(fraction),
          days_(days) {}

    void apply(SimState& state) const override {
        // Reserved for every event at once (SimState): no allocation on the day.
        state.forces.reallocations.push_back(Reallocation{force_, from_, to_, fraction_, days_});
    }

    std::string summary(const ScenarioSpec& spec) const override {
        return fmt::format(
            "{} moves {:g}% of its {} personnel to {}{}",
            spec.forces[static_cast<std::size_t>(force_)].faction, fraction_ * 100, name_of(from_),
            name_of(to_),
            days_ < 0 ? std::string(" until the end") : fmt::format(" for {} days", days_));
    }

  private:
    int force_;
    Task from_;
    Task to_;
    double fraction_;
    int days_;
};

}  // namespace

std::shared_ptr<const Event> parse_reallocate(doc::MapReader& reader, const ScenarioSpec& spec,
                                              int day, SourceLoc loc) {
    reader.allow(
        {"kind", "day", "date", "note", "faction", "from", "to", "fraction", "duration_days"});
    const int force = read_force(reader, "faction", spec);
    const auto from =
        reader.choice("from", {"patrol", "border", "guard", "front", "reserve"}, true);
    const auto to = reader.choice("to", {"patrol", "border", "guard", "front", "reserve"}, true);
    const auto fraction = reader.number("fraction", 0.0, 1.0, "of the `from` share", true);
    const auto days = reader.integer("duration_days", 1, 36500, false, -1);
    if (from && to && *from == *to) {
        reader.problem("to",
                       fmt::format("from and to are both '{}': a reallocation moves personnel "
                                   "between two different tasks",
                                   schema::kTaskNames[static_cast<std::size_t>(*from)]));
        return nullptr;
    }
    if (force < 0 || !from || !to || !fraction || !days) return nullptr;
    return std::make_shared<Reallocate>(day, std::move(loc), force, static_cast<Task>(*from),
                                        static_cast<Task>(*to), *fraction, static_cast<int>(*days));
}

}  // namespace resurgence::events
