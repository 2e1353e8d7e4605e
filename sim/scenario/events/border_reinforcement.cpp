// border_reinforcement: more (or fewer) personnel at some crossings (model-spec §6; B03: Iraq
// sent more than 20,000 troops to the frontier). `guards` personnel are added to each listed
// crossing's guards (on top of its force's border task) for duration_days, raising
// guards_per_km and so detection 1 - exp(-kappa guards_per_km (1 - difficulty)).
//
//   - kind: border_reinforcement
//     date: 2019-10-20
//     crossings: [al_qaim, rabia]   # or all
//     guards: 2000                  # per crossing; negative to thin them out
//     duration_days: 90             # omitted = until the end of the run
#include <fmt/format.h>

#include "../schema.hpp"
#include "event_common.hpp"
#include "events_impl.hpp"
#include "resurgence/model/state.hpp"

namespace resurgence::events {

std::string describe_crossings(const std::vector<int>& xs, const ScenarioSpec& spec) {
    if (xs.size() == spec.crossings.size() && xs.size() > 3) return "every crossing";
    if (xs.size() > 3) return fmt::format("{} crossings", xs.size());
    std::string s;
    for (const int x : xs)
        s += (s.empty() ? "" : ", ") + spec.crossings[static_cast<std::size_t>(x)].id;
    return s;
}

std::vector<int> read_crossings(doc::MapReader& reader, const ScenarioSpec& spec) {
    std::vector<int> out;
    const doc::Node* node = reader.get("crossings");
    std::vector<std::string> known;
    for (const auto& x : spec.crossings) known.push_back(x.id);
    if (node == nullptr) {
        reader.problem(
            "crossings",
            fmt::format("missing: a list of crossing ids, or all (crossings: {})",
                        known.empty() ? std::string("none declared") : schema::join(known)));
        return out;
    }
    if (node->is_scalar() && node->scalar == "all" && !spec.crossings.empty()) {
        for (std::size_t x = 0; x < spec.crossings.size(); ++x) out.push_back(static_cast<int>(x));
        return out;
    }
    if (!node->is_sequence() || node->items.empty()) {
        reader.problem(
            "crossings",
            fmt::format("expected a non-empty list of crossing ids, or all (crossings: {})",
                        known.empty() ? std::string("none declared") : schema::join(known)));
        return out;
    }
    for (std::size_t i = 0; i < node->items.size(); ++i) {
        const auto& item = node->items[i];
        const int x = item.is_scalar() ? spec.crossing_index(item.scalar) : -1;
        if (x < 0) {
            reader.problems().add(
                item.mark, fmt::format("{}[{}]", reader.path_of("crossings"), i),
                schema::unknown_ref("crossing", "crossings",
                                    item.is_scalar() ? item.scalar : schema::describe(item),
                                    known));
            continue;
        }
        out.push_back(x);
    }
    return out;
}

namespace {

class BorderReinforcement final : public Event {
  public:
    BorderReinforcement(int day, SourceLoc loc, std::vector<int> crossings, double guards, int days)
        : Event("border_reinforcement", day, std::move(loc)),
          crossings_(std::move(crossings)),
          guards_(guards),
          days_(days) {}

    void apply(SimState& state) const override {
        for (const int x : crossings_) state.border.reinforce(x, guards_, days_);
    }

    std::string summary(const ScenarioSpec& spec) const override {
        return fmt::format("{:+g} guards at {}{}", guards_, describe_crossings(crossings_, spec),
                           days_ < 0 ? std::string() : fmt::format(" for {} days", days_));
    }

  private:
    std::vector<int> crossings_;
    double guards_;
    int days_;
};

}  // namespace

std::shared_ptr<const Event> parse_border_reinforcement(doc::MapReader& reader,
                                                        const ScenarioSpec& spec, int day,
                                                        SourceLoc loc) {
    reader.allow({"kind", "day", "date", "note", "crossings", "guards", "duration_days"});
    auto crossings = read_crossings(reader, spec);
    const auto guards = reader.number("guards", -1e7, 1e7, "personnel per crossing", true);
    const auto days = reader.integer("duration_days", 1, 36500, false, -1);
    if (crossings.empty() || !guards || !days) return nullptr;
    return std::make_shared<BorderReinforcement>(day, std::move(loc), std::move(crossings), *guards,
                                                 static_cast<int>(*days));
}

}  // namespace resurgence::events
