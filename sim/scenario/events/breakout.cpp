// breakout: a prison break at one site (model-spec §6; C04, C05). The selected detainees leave
// at once — escaped fighters head out (movement: home country first, else often a border,
// C06), escaped family members stay in the region (some join as fighters) — and the site stays
// under shelling for shelling_days, multiplying its escape hazard by 1 +
// detention.shelling_effect.
//
//   - kind: breakout
//     date: 2019-10-13
//     site: ain_issa
//     count: 800              # or fraction: 0.5 (of the selected detainees)
//     selection: families     # all (default) | fighters | families | iraqi | syrian | foreign | …
//     shelling_days: 3        # default 0
#include <fmt/format.h>

#include "../schema.hpp"
#include "event_common.hpp"
#include "events_impl.hpp"
#include "resurgence/model/state.hpp"

namespace resurgence::events {
namespace {

class Breakout final : public Event {
  public:
    Breakout(int day, SourceLoc loc, int site, std::optional<double> fraction,
             std::optional<std::int64_t> count, Selection who, int shelling)
        : Event("breakout", day, std::move(loc)),
          site_(site),
          fraction_(fraction),
          count_(count),
          who_(who),
          shelling_(shelling) {}

    void apply(SimState& state) const override {
        (void)state.detention.breakout(state, site_, fraction_, count_, who_, shelling_);
    }

    std::string summary(const ScenarioSpec& spec) const override {
        const std::string amount =
            fraction_ ? fmt::format("{:g}%", *fraction_ * 100) : fmt::format("{}", *count_);
        return fmt::format(
            "breakout at {}: {} ({}){}", spec.sites[static_cast<std::size_t>(site_)].id, amount,
            name_of(who_),
            shelling_ > 0 ? fmt::format(", shelled for {} days", shelling_) : std::string());
    }

  private:
    int site_;
    std::optional<double> fraction_;
    std::optional<std::int64_t> count_;
    Selection who_;
    int shelling_;
};

int read_site(doc::MapReader& reader, const ScenarioSpec& spec) {
    const auto id = reader.string("site", true);
    if (!id) return -1;
    const int s = spec.site_index(*id);
    if (s < 0) {
        std::vector<std::string> known;
        for (const auto& site : spec.sites) known.push_back(site.id);
        reader.problem("site",
                       schema::unknown_ref("detention site", "detention_sites", *id, known));
    }
    return s;
}

}  // namespace

std::shared_ptr<const Event> parse_breakout(doc::MapReader& reader, const ScenarioSpec& spec,
                                            int day, SourceLoc loc) {
    reader.allow(
        {"kind", "day", "date", "note", "site", "fraction", "count", "selection", "shelling_days"});
    const int site = read_site(reader, spec);
    const bool has_fraction = reader.has("fraction"), has_count = reader.has("count");
    if (has_fraction == has_count) {
        reader.problem(
            has_fraction ? "count" : "fraction",
            "give exactly one of fraction (of the selected detainees, 0 to 1) or count (persons)");
        return nullptr;
    }
    std::optional<double> fraction;
    std::optional<std::int64_t> count;
    if (has_fraction)
        fraction = reader.number("fraction", 0.0, 1.0, "of the selected detainees", true);
    if (has_count) {
        if (const auto c = reader.integer("count", 0, 100'000'000, true)) count = *c;
    }
    // Words in Selection order, then `fighters` (= any) last.
    const auto who = reader.choice("selection",
                                   {"any", "iraqi", "syrian", "foreign", "foreign_european",
                                    "foreign_other", "families", "all", "fighters"},
                                   false, static_cast<int>(Selection::everyone));
    const auto shelling = reader.integer("shelling_days", 0, 36500, false, 0);
    if (site < 0 || (!fraction && !count) || !who || !shelling) return nullptr;
    const Selection selection = *who == 8 ? Selection::any : static_cast<Selection>(*who);
    return std::make_shared<Breakout>(day, std::move(loc), site, fraction, count, selection,
                                      static_cast<int>(*shelling));
}

}  // namespace resurgence::events
