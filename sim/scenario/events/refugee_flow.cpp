// refugee_flow: refugees crossing at some crossings give fighters cover (model-spec §5.5; B05:
// 8,000 Syrian Kurds crossed into Iraqi Kurdistan after 9 Oct 2019, with fears of infiltration
// through the same crossings and at Rabia). The flow R (persons/day) is added to the crossing's
// baseline border.refugee_flow for duration_days and cuts detection by the factor
// 1 - border.cover_max * R / (R + border.cover_half).
//
//   - kind: refugee_flow
//     date: 2019-10-10
//     crossings: [faysh_khabur]   # or all
//     persons_per_day: 270
//     duration_days: 30           # omitted = until the end of the run
#include <fmt/format.h>

#include "event_common.hpp"
#include "events_impl.hpp"
#include "resurgence/model/state.hpp"

namespace resurgence::events {
namespace {

class RefugeeFlow final : public Event {
  public:
    RefugeeFlow(int day, SourceLoc loc, std::vector<int> crossings, double per_day, int days)
        : Event("refugee_flow", day, std::move(loc)),
          crossings_(std::move(crossings)),
          per_day_(per_day),
          days_(days) {}

    void apply(SimState& state) const override {
        for (const int x : crossings_) state.border.set_refugee_flow(x, per_day_, days_);
    }

    std::string summary(const ScenarioSpec& spec) const override {
        return fmt::format("{:g} refugees a day through {}{}", per_day_,
                           describe_crossings(crossings_, spec),
                           days_ < 0 ? std::string() : fmt::format(" for {} days", days_));
    }

  private:
    std::vector<int> crossings_;
    double per_day_;
    int days_;
};

}  // namespace

std::shared_ptr<const Event> parse_refugee_flow(doc::MapReader& reader, const ScenarioSpec& spec,
                                                int day, SourceLoc loc) {
    reader.allow({"kind", "day", "date", "note", "crossings", "persons_per_day", "duration_days"});
    auto crossings = read_crossings(reader, spec);
    const auto per_day = reader.number("persons_per_day", 0.0, 1e7, "persons/day", true);
    const auto days = reader.integer("duration_days", 1, 36500, false, -1);
    if (crossings.empty() || !per_day || !days) return nullptr;
    return std::make_shared<RefugeeFlow>(day, std::move(loc), std::move(crossings), *per_day,
                                         static_cast<int>(*days));
}

}  // namespace resurgence::events
