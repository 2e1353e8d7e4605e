#pragma once
// Detention sites (model-spec §5.8; C01-C11). Implementation: sim/model/detention.cpp;
// equations in docs/model-detention.md.
//
// A site (prison or camp) holds detained fighters — Fighter agents with status detained and
// Fighters::site() = the site — kept in one roster per (site, origin), and family members
// (wives, children, relatives; C03), who are not fighters and are kept as a count per site.
// Guards are personnel of the site's forces, scaled each day by the force's guard share after
// reallocations and by its strength in the region (so `reallocate` and `force_change` reach
// them). Each day (phase 8): arrivals are placed, radicalisation rises, detainees escape at the
// site's hazard, cells raid sites, and repatriation programmes run. Breakouts and releases are
// timeline events. Everyone who leaves is a row of events.csv and is accounted for:
//   fighters: at a site, held outside the modelled sites (kSiteUnlisted), repatriated
//             (kSiteAbroad), or out and travelling / settled (movement.hpp);
//   families: at a site, at large in a region, or joined the group as fighters.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "resurgence/core/rng.hpp"
#include "resurgence/model/fighters.hpp"
#include "resurgence/params/parameters.hpp"
#include "resurgence/scenario/spec.hpp"

namespace resurgence {

struct SimState;

// Fighters::site() of a detained fighter that is not at a modelled site.
inline constexpr int kNoSite = -1;        // just detained: placed by the next detention phase
inline constexpr int kSiteAbroad = -2;    // repatriated to a government outside the theatre
inline constexpr int kSiteUnlisted = -3;  // held by a country that has no modelled site

// Who a release or breakout takes (release: `selection`; breakout: `selection`).
enum class Selection : std::uint8_t {
    any,  // fighters of any origin, in proportion
    iraqi,
    syrian,
    foreign,  // foreign_european and foreign_other, in proportion
    foreign_european,
    foreign_other,
    families,  // family members only
    everyone,  // fighters and family members, in proportion
};
const char* name_of(Selection s) noexcept;

// An ongoing repatriation or transfer programme (repatriation event).
struct RepatriationProgramme {
    std::array<bool, kOrigins> origins{};  // origins it takes
    double per_day = 0;                    // persons per day (rate_per_month / 30.4375)
    std::span<const int> sites;            // empty = every site (owned by the event)
    int days_left = -1;                    // < 0 = until the end of the run
    double owed = 0;                       // fractional persons carried to the next day
};

// Today's flows (persons), reset by the first detention action of a day.
struct DetentionFlows {
    std::int64_t escapes_fighters = 0;
    std::int64_t escapes_families = 0;
    std::int64_t breakout = 0;  // persons, included in the escapes
    std::int64_t arrivals = 0;
    std::int64_t releases = 0;  // persons
    std::int64_t transfers = 0;
    std::int64_t repatriations = 0;
    std::int64_t raids = 0;
    std::int64_t raids_successful = 0;
    std::int64_t rejoined_direct = 0;
    std::int64_t family_recruits = 0;
};

class Detention {
  public:
    // Creates the detained fighters of every site (C01, C02) and its families (C03); reserves
    // the fighters' capacity for them and the rosters for arrivals.
    void init(SimState& state);
    // Phase 8: arrivals, guards, radicalisation, escapes, raids, repatriation programmes.
    void step(SimState& state);

    // ---- levers (timeline events)
    // A breakout: frees `fraction` of the selected detainees, or `count` persons (fighters and
    // families in proportion for `everyone`); the site is under shelling for `shelling_days`.
    // Returns the persons freed.
    std::int64_t breakout(SimState& state, int site, std::optional<double> fraction,
                          std::optional<std::int64_t> count, Selection who, int shelling_days);
    // A release of `count` (or `fraction` of) the selected detainees. Returns persons released.
    std::int64_t release(SimState& state, int site, std::optional<double> fraction,
                         std::optional<std::int64_t> count, Selection who);
    void add_programme(const RepatriationProgramme& p);

    // Places a detained fighter (status detained, not at a site) captured in `region`: the
    // nearest site with room in that region's country, else the nearest there, else held
    // outside the modelled sites (kSiteUnlisted). Its carried funds are seized.
    void admit(SimState& state, FighterId f, int region);

    // ---- accessors
    [[nodiscard]] int sites() const noexcept { return static_cast<int>(region_.size()); }
    [[nodiscard]] std::int64_t fighters(int s) const;
    [[nodiscard]] std::int64_t fighters(int s, Origin o) const {
        return static_cast<std::int64_t>(roster_[slot(s, o)].size());
    }
    [[nodiscard]] std::int64_t families(int s) const { return families_[at(s)]; }
    [[nodiscard]] std::int64_t persons(int s) const { return fighters(s) + families(s); }
    [[nodiscard]] double guards(int s) const { return guards_[at(s)]; }
    [[nodiscard]] double radicalisation(int s) const { return rad_[at(s)]; }
    [[nodiscard]] int shelling_days(int s) const { return shelled_[at(s)]; }
    [[nodiscard]] std::span<const FighterId> roster(int s, Origin o) const {
        return roster_[slot(s, o)];
    }
    [[nodiscard]] std::int64_t families_at_large(int r) const { return families_out_[at(r)]; }
    [[nodiscard]] std::int64_t unlisted() const noexcept { return unlisted_; }
    [[nodiscard]] std::int64_t abroad() const noexcept { return abroad_; }
    [[nodiscard]] const DetentionFlows& flows() const noexcept { return flows_; }
    // Cumulative persons escaped since the start (all causes), for tests.
    [[nodiscard]] std::int64_t escapes_cumulative() const noexcept { return escapes_cum_; }

    // ---- the rules as functions of their inputs (tests, docs)
    // Daily escape hazard per detainee (before the cap max_hazard).
    [[nodiscard]] static double escape_hazard(const ParamSet& p, double persons, double guards,
                                              double capacity, bool shelled) noexcept;
    // Today's guards of site s from the forces (reallocations and strength changes).
    [[nodiscard]] double current_guards(const SimState& state, int s) const;
    // Probability a raid by a cell of `size` fighters with mean experience `e` breaks in
    // against `guards`.
    [[nodiscard]] static double raid_success(const ParamSet& p, int size, double e,
                                             double guards) noexcept;
    // Probability an escapee or releasee of site s joins a cell directly (C10).
    [[nodiscard]] double join_probability(const ParamSet& p, int s) const;

    void record(SimState& state) const;
    // Conservation: detained fighters by site (and outside the sites) add up to the fighters
    // with status detained; families at sites, at large and recruited add up to the families
    // ever detained; rosters agree with the fighters' site column. O(detained).
    void check_invariants(const SimState& state) const;

  private:
    [[nodiscard]] static std::size_t at(int i) { return static_cast<std::size_t>(i); }
    [[nodiscard]] static std::size_t slot(int s, Origin o) {
        return static_cast<std::size_t>(s) * kOrigins + static_cast<std::size_t>(o);
    }
    void begin_day(int day);
    void ensure_columns(std::size_t n);
    void place(Fighters& fighters, FighterId f, int s);
    void take_out(Fighters& fighters, FighterId f);  // off its site's roster
    int site_for(int region, int country, bool need_room) const;
    // A random detained fighter of site s matching `who` (kNoFighter when none).
    FighterId pick(int s, Selection who, Rng& rng) const;
    [[nodiscard]] std::int64_t available(int s, Selection who) const;
    // A detained fighter leaves its site as an escapee (escape, breakout, raid): heads out.
    void escape_fighter(SimState& state, FighterId f, int s, Rng& rng);
    // Family members leaving site s (escape or release): some join as fighters.
    void families_leave(SimState& state, int s, std::int64_t n, DetentionHistory why, Rng& rng);
    void admit_pending(SimState& state);
    void update_guards(SimState& state);
    void radicalise(SimState& state);
    void escapes(SimState& state);
    void raids(SimState& state);
    void programmes(SimState& state);
    void transfer(SimState& state, FighterId f, int from_site, int home);
    // Transfer rows are aggregated per (from, to) pair; (-1, -1, 0) flushes.
    void pending_transfer(SimState& state, int from, int to, std::int64_t n);
    // Fighters and family members a breakout or release takes.
    void split(int s, std::optional<double> fraction, std::optional<std::int64_t> count,
               Selection who, std::int64_t& nf, std::int64_t& nfam) const;
    [[nodiscard]] std::int64_t fighters_count(int s) const { return fighters(s); }
    [[nodiscard]] std::int64_t fighters_count(int s, Origin o) const { return fighters(s, o); }
    // An events.csv row with a count at site s (none when n is 0).
    void row(SimState& state, int s, std::string_view type, double severity, std::int64_t n) const;

    // Site columns (index = site).
    std::vector<int> region_;
    std::vector<int> country_;
    std::vector<double> capacity_;
    std::vector<std::int64_t> families_;
    std::vector<double> guards_;                  // today's guards
    std::vector<double> rad_;                     // radicalisation in [0,1]
    std::vector<int> shelled_;                    // shelling days left
    std::vector<std::vector<FighterId>> roster_;  // [site * kOrigins + origin]
    // Per-fighter position in its site's roster (index = fighter id).
    std::vector<std::int32_t> pos_;
    // Sites of each (region, country) by travel time from the region: [region][country].
    std::vector<std::vector<std::vector<int>>> nearest_;
    // Families outside the sites.
    std::vector<std::int64_t> families_out_;  // at large, per region
    std::int64_t families_total_ = 0;         // ever detained (initial)
    std::int64_t families_recruited_ = 0;     // became fighters
    std::int64_t unlisted_ = 0, abroad_ = 0;
    std::vector<RepatriationProgramme> programmes_;
    std::vector<Origin> family_origin_;  // origin of family members who join as fighters
    // Today's counts for the rows and the attacks indicators.
    std::vector<std::int64_t> arrivals_;        // per site
    std::vector<std::int64_t> unlisted_today_;  // per region
    std::vector<std::int64_t> raids_by_country_;
    int transfer_from_ = -1, transfer_to_ = -1;
    std::int64_t transfer_n_ = 0;
    mutable std::vector<std::int64_t> recount_;  // check_invariants' buffer
    DetentionFlows flows_;
    std::int64_t escapes_cum_ = 0;
    std::int64_t raid_freed_ = 0;  // today, persons
    int day_ = -1;
};

// Timeline events that must prepare run state before the first day, so that applying them on
// their day allocates nothing (authority names, programme slots). init_detention calls
// setup() on every event that implements this.
class EventSetup {
  public:
    virtual ~EventSetup() = default;
    virtual void setup(SimState& state) const = 0;
};

// ---- detention, movement and borders as a whole: the hooks Simulation calls.
void init_detention(SimState& state);         // after init_insurgency
void record_detention(SimState& state);       // phase 10, after record_insurgency
void check_detention(const SimState& state);  // every day when checks are on

}  // namespace resurgence
