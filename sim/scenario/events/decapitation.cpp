// decapitation: a strike on the leadership of some cells (model-spec §6): in each listed
// region the `cells` selected cells lose their leaders (killed or detained) and shatter into
// single fighters, and the region's leadership-split level rises by
// cells.split_per_decapitation per cell hit, which raises fragmentation (nu) until it relaxes
// (F12). A cell with no leader loses its most experienced member instead. One events.csv row
// per region hit: type decapitation, severity = fighters taken, count = cells hit.
//
//   - kind: decapitation
//     day: 120
//     regions: [nineveh]      # default: every region
//     cells: 3                # per region (default 1)
//     selection: largest      # largest (default) | random (picked by size)
//     fate: killed            # killed (default) | detained
#include <fmt/format.h>

#include <algorithm>

#include "event_common.hpp"
#include "events_impl.hpp"
#include "resurgence/model/state.hpp"

namespace resurgence::events {
namespace {

inline constexpr Purpose kDecapitation{"events.decapitation"};

class Decapitation final : public Event {
public:
    Decapitation(int day, SourceLoc loc, std::vector<int> regions, int cells, bool largest, bool kill)
        : Event("decapitation", day, std::move(loc)), regions_(std::move(regions)), cells_(cells),
          largest_(largest), kill_(kill) {}

    void apply(SimState& state) const override {
        auto& cells = state.cells;
        auto& fighters = state.fighters;
        const FighterStatus fate = kill_ ? FighterStatus::dead : FighterStatus::detained;
        const double rise = state.spec.params[P::cells_split_per_decapitation];
        for (const int r : regions_) {
            Rng rng = state.seed.daily(kDecapitation, state.day, static_cast<std::uint64_t>(r));
            int hit = 0, taken = 0;
            for (int k = 0; k < cells_ && cells.count(r) > 0; ++k) {
                ++hit;
                CellId target = kNoCell;
                if (largest_) {
                    // Rare event: a scan of the region's cells is fine here.
                    for (const CellId c : cells.in_region(r))
                        if (target == kNoCell || cells.size(c) > cells.size(target)) target = c;
                } else {
                    target = cells.random_by_size(fighters, r, rng);
                }
                // The leaders (or the most experienced member of a leaderless cell) are taken.
                FighterId best = cells.first(target);
                for (FighterId f = cells.first(target); f != kNoFighter; f = Cells::next(fighters, f))
                    if (fighters.experience(f) > fighters.experience(best)) best = f;
                const bool had_leaders = cells.leaders(target) > 0;
                for (FighterId f = cells.first(target); f != kNoFighter;) {
                    const FighterId next = Cells::next(fighters, f);
                    if (had_leaders ? fighters.leader(f) : f == best) {
                        const bool last = cells.size(target) == 1;
                        cells.leave(fighters, f, fate);
                        ++taken;
                        if (last) break;
                    }
                    f = next;
                }
                if (cells.alive(target)) cells.fragment(fighters, target);
                double& split = state.regions.split[static_cast<std::size_t>(r)];
                split = std::min(1.0, split + rise);
            }
            // events.csv: one row per region, severity = leaders taken, count = cells hit.
            if (hit > 0) state.rec.event(r, "decapitation", taken, hit, kill_ ? "killed" : "detained");
        }
    }

    std::string summary(const ScenarioSpec& spec) const override {
        return fmt::format("leaders of the {} {} cell{} {} in {}", cells_, largest_ ? "largest" : "random",
                           cells_ == 1 ? "" : "s", kill_ ? "killed" : "detained",
                           describe_regions(regions_, spec));
    }

private:
    std::vector<int> regions_;
    int cells_;
    bool largest_;
    bool kill_;
};

}  // namespace

std::shared_ptr<const Event> parse_decapitation(doc::MapReader& reader, const ScenarioSpec& spec, int day,
                                                SourceLoc loc) {
    reader.allow({"kind", "day", "date", "note", "regions", "cells", "selection", "fate"});
    auto regions = read_regions(reader, "regions", spec, false);
    const auto cells = reader.integer("cells", 1, 100000, false, 1);
    const auto selection = reader.choice("selection", {"largest", "random"}, false, 0);
    const auto fate = reader.choice("fate", {"killed", "detained"}, false, 0);
    if (regions.empty() || !cells || !selection || !fate) return nullptr;
    return std::make_shared<Decapitation>(day, std::move(loc), std::move(regions), static_cast<int>(*cells),
                                          *selection == 0, *fate == 0);
}

}  // namespace resurgence::events
