// release: detainees let go from one site (model-spec §6): the SDF's release of 283 Syrians
// "with no blood on their hands" (C07), an amnesty like the regime's in 2011 (C11). Released
// fighters go home (their home country when it is another country of the theatre, else
// somewhere in the site's country), where each joins a cell at once with probability
// min(1, detention.rejoin_direct * radicalisation of the site) (C10) or disengages and may
// rejoin later at cells.rejoin_rate_released. Released family members stay in the region.
//
//   - kind: release
//     date: 2019-03-01
//     site: hasakah_prison
//     count: 283              # or fraction: 0.1 (of the selected detainees)
//     selection: syrian       # any (default) | iraqi | syrian | foreign | foreign_european |
//                             # foreign_other | families | all (fighters and families)
#include <fmt/format.h>

#include "../schema.hpp"
#include "event_common.hpp"
#include "events_impl.hpp"
#include "resurgence/model/state.hpp"

namespace resurgence::events {
namespace {

class Release final : public Event {
  public:
    Release(int day, SourceLoc loc, int site, std::optional<double> fraction,
            std::optional<std::int64_t> count, Selection who)
        : Event("release", day, std::move(loc)),
          site_(site),
          fraction_(fraction),
          count_(count),
          who_(who) {}

    void apply(SimState& state) const override {
        (void)state.detention.release(state, site_, fraction_, count_, who_);
    }

    std::string summary(const ScenarioSpec& spec) const override {
        const std::string amount =
            fraction_ ? fmt::format("{:g}%", *fraction_ * 100) : fmt::format("{}", *count_);
        return fmt::format("release of {} ({}) from {}", amount, name_of(who_),
                           spec.sites[static_cast<std::size_t>(site_)].id);
    }

  private:
    int site_;
    std::optional<double> fraction_;
    std::optional<std::int64_t> count_;
    Selection who_;
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

std::shared_ptr<const Event> parse_release(doc::MapReader& reader, const ScenarioSpec& spec,
                                           int day, SourceLoc loc) {
    reader.allow({"kind", "day", "date", "note", "site", "count", "fraction", "selection"});
    const int site = read_site(reader, spec);
    const bool has_fraction = reader.has("fraction"), has_count = reader.has("count");
    if (has_fraction == has_count) {
        reader.problem(
            has_fraction ? "count" : "fraction",
            "give exactly one of count (persons) or fraction (of the selected detainees, 0 to 1)");
        return nullptr;
    }
    std::optional<double> fraction;
    std::optional<std::int64_t> count;
    if (has_fraction)
        fraction = reader.number("fraction", 0.0, 1.0, "of the selected detainees", true);
    if (has_count) {
        if (const auto c = reader.integer("count", 0, 100'000'000, true)) count = *c;
    }
    const auto who = reader.choice("selection",
                                   {"any", "iraqi", "syrian", "foreign", "foreign_european",
                                    "foreign_other", "families", "all"},
                                   false, static_cast<int>(Selection::any));
    if (site < 0 || (!fraction && !count) || !who) return nullptr;
    return std::make_shared<Release>(day, std::move(loc), site, fraction, count,
                                     static_cast<Selection>(*who));
}

}  // namespace resurgence::events
