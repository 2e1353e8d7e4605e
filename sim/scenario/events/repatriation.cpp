// repatriation: an ongoing programme that takes detainees of one origin out of the sites
// (model-spec §6; C09: Western governments refuse, Turkey proposes returns). Detainees whose
// home country is another country of the theatre (Iraqis held in Syria) are transferred to the
// nearest site of that country with room (a `transfer` row); foreigners with no home in the
// theatre are repatriated abroad (a `repatriation` row) and leave the theatre's sites for good
// (they stay detained, by their own government: Fighters::site() = kSiteAbroad).
// rate_per_month persons a month, spread evenly over days (fractions carry over), taken from
// the listed sites (default: every site) in proportion to their eligible detainees.
//
//   - kind: repatriation
//     date: 2019-11-01
//     origin: foreign_european  # iraqi | syrian | foreign | foreign_european | foreign_other
//     rate_per_month: 20
//     sites: [hasakah_prison]   # default: every site
//     duration_days: 180        # omitted = until the end of the run
#include <fmt/format.h>

#include <algorithm>

#include "../schema.hpp"
#include "event_common.hpp"
#include "events_impl.hpp"
#include "resurgence/model/state.hpp"

namespace resurgence::events {
namespace {

class Repatriation final : public Event {
  public:
    Repatriation(int day, SourceLoc loc, int origin, double per_month, std::vector<int> sites,
                 int days)
        : Event("repatriation", day, std::move(loc)),
          origin_(origin),
          per_month_(per_month),
          sites_(std::move(sites)),
          days_(days) {}

    void apply(SimState& state) const override {
        RepatriationProgramme p;
        for (int o = 0; o < kOrigins; ++o)
            p.origins[static_cast<std::size_t>(o)] = takes(static_cast<Origin>(o));
        p.per_day = per_month_ / 30.4375;
        p.sites = sites_;  // a view of this event's list: no copy on the day
        p.days_left = days_;
        state.detention.add_programme(p);
    }

    std::string summary(const ScenarioSpec& spec) const override {
        std::string where = "every site";
        if (!sites_.empty()) {
            where.clear();
            for (const int s : sites_)
                where += (where.empty() ? "" : ", ") + spec.sites[static_cast<std::size_t>(s)].id;
        }
        return fmt::format("repatriation of {} detainees, {:g} a month from {}{}",
                           kNames[static_cast<std::size_t>(origin_)], per_month_, where,
                           days_ < 0 ? std::string() : fmt::format(" for {} days", days_));
    }

    static constexpr std::array<std::string_view, 5> kNames{"iraqi", "syrian", "foreign",
                                                            "foreign_european", "foreign_other"};

  private:
    [[nodiscard]] bool takes(Origin o) const {
        switch (origin_) {
            case 0:
                return o == Origin::iraqi;
            case 1:
                return o == Origin::syrian;
            case 2:
                return o == Origin::foreign_european || o == Origin::foreign_other;
            case 3:
                return o == Origin::foreign_european;
            default:
                return o == Origin::foreign_other;
        }
    }

    int origin_;
    double per_month_;
    std::vector<int> sites_;
    int days_;
};

}  // namespace

std::shared_ptr<const Event> parse_repatriation(doc::MapReader& reader, const ScenarioSpec& spec,
                                                int day, SourceLoc loc) {
    reader.allow(
        {"kind", "day", "date", "note", "origin", "rate_per_month", "sites", "duration_days"});
    const auto origin = reader.choice(
        "origin", {"iraqi", "syrian", "foreign", "foreign_european", "foreign_other"}, true);
    const auto rate = reader.number("rate_per_month", 0.0, 1e7, "persons/month", true);
    const auto days = reader.integer("duration_days", 1, 36500, false, -1);
    std::vector<int> sites;
    bool sites_ok = true;
    if (const doc::Node* node = reader.get("sites")) {
        std::vector<std::string> known;
        for (const auto& s : spec.sites) known.push_back(s.id);
        if (!node->is_sequence() || node->items.empty()) {
            reader.problem("sites", "expected a non-empty list of detention site ids");
            sites_ok = false;
        } else {
            for (std::size_t i = 0; i < node->items.size(); ++i) {
                const auto& item = node->items[i];
                const int s = item.is_scalar() ? spec.site_index(item.scalar) : -1;
                if (s < 0) {
                    reader.problems().add(
                        item.mark, fmt::format("{}[{}]", reader.path_of("sites"), i),
                        schema::unknown_ref("detention site", "detention_sites",
                                            item.is_scalar() ? item.scalar : schema::describe(item),
                                            known));
                    sites_ok = false;
                    continue;
                }
                if (std::find(sites.begin(), sites.end(), s) == sites.end()) sites.push_back(s);
            }
        }
    } else if (spec.sites.empty()) {
        reader.problem("origin",
                       "a repatriation needs detention sites to take detainees from "
                       "(detention_sites: is empty)");
        sites_ok = false;
    }
    // Iraqis (Syrians) held in Iraq (Syria) have nowhere to be repatriated to.
    if (origin && (*origin == 0 || *origin == 1) && sites_ok) {
        const std::string_view home = *origin == 0 ? "iraq" : "syria";
        bool elsewhere = false;
        for (std::size_t s = 0; s < spec.sites.size(); ++s) {
            if (!sites.empty() &&
                std::find(sites.begin(), sites.end(), static_cast<int>(s)) == sites.end())
                continue;
            // A site whose region did not resolve (already a problem of detention_sites) says
            // nothing about where its detainees are held.
            const int region = spec.sites[s].region;
            if (region < 0 || static_cast<std::size_t>(region) >= spec.regions.size()) {
                elsewhere = true;
                continue;
            }
            const auto& country = spec.regions[static_cast<std::size_t>(region)].country;
            elsewhere = elsewhere || country.find(home) == std::string::npos;
        }
        if (!elsewhere && !spec.sites.empty()) {
            reader.problem(
                "origin",
                fmt::format("every site it takes from is in {}: {} detainees there have no other "
                            "home to be repatriated to",
                            home, *origin == 0 ? "Iraqi" : "Syrian"));
            return nullptr;
        }
    }
    if (!origin || !rate || !days || !sites_ok) return nullptr;
    return std::make_shared<Repatriation>(day, std::move(loc), *origin, *rate, std::move(sites),
                                          static_cast<int>(*days));
}

}  // namespace resurgence::events
