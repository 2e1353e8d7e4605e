#pragma once
// The frozen scenario: plain validated structs produced by the loader (the only YAML user) and
// shared read-only by every replication (style.md §3-4). Cross references are resolved to
// indices at load time, so the engine never looks a name up.
//
// The YAML schema these come from is documented in docs/scenario-schema.md.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "resurgence/core/calendar.hpp"
#include "resurgence/params/parameters.hpp"

namespace resurgence {

class Event;  // scenario/events.hpp

// Where a value came from, for messages after load (e.g. an invariant naming an event).
struct SourceLoc {
    std::string file;
    int line = 0;
    int column = 0;
};

enum class Terrain : std::uint8_t { urban, rural, desert, rugged, riverine };
inline constexpr int kTerrains = 5;

enum class Origin : std::uint8_t { iraqi, syrian, foreign_european, foreign_other };
inline constexpr int kOrigins = 4;

enum class FighterStatus : std::uint8_t { active, sleeper, in_transit, detained, dead, disengaged };
inline constexpr int kFighterStatuses = 6;

enum class Task : std::uint8_t { patrol, border, guard, front, reserve };
inline constexpr int kTasks = 5;

enum class CrossingKind : std::uint8_t { official, open_desert, tunnel, smuggling_route };
enum class SiteKind : std::uint8_t { prison, camp };

enum class CivilianMode : std::uint8_t { mixed, grid };
// How S/A enters P = 1 - exp(-k * x): floor (Epstein's text as NetLogo reads it, and NetLogo),
// round (Mesa), exact (no rounding).
enum class ArrestRatio : std::uint8_t { floor, round, exact };
// Jail term draw: netlogo = uniform 0..max-1 ("random max-jail-term"), mesa = uniform 0..max
// inclusive (randint), epstein = uniform 1..max (nobody walks free on the day of arrest).
enum class JailTermDraw : std::uint8_t { netlogo, mesa, epstein };
// Grid neighbourhood: von_neumann (Epstein's lattice directions; Mesa), moore, disk (NetLogo
// in-radius).
enum class Neighbourhood : std::uint8_t { von_neumann, moore, disk };
// Grid activation order within a day: random = random-sequential (a uniform permutation of all
// agents: Epstein, NetLogo, Mesa); blocks = the grid cut into square blocks, the blocks in a
// uniformly random order and each block's agents (by their cell at the start of the day) in a
// uniformly random order: any two agents still act in either order with probability 1/2, and
// consecutive activations stay in one cache-sized part of the grid (docs/epstein.md).
enum class Activation : std::uint8_t { random, blocks };

const char* name_of(Terrain);
const char* name_of(Origin);
const char* name_of(FighterStatus);
const char* name_of(Task);
const char* name_of(CrossingKind);
const char* name_of(SiteKind);
const char* name_of(CivilianMode);
const char* name_of(Activation);
const char* name_of(ArrestRatio);
const char* name_of(JailTermDraw);
const char* name_of(Neighbourhood);

// Policing difficulty that terrain implies when a region does not set one (assumption, B06:
// open desert is hardest to control).
double default_policing_difficulty(Terrain t) noexcept;

struct GridSpec {
    int width = 0;
    int height = 0;
};

struct RegionSpec {
    std::string id;
    std::string country;
    double population = 0;          // persons
    Terrain terrain = Terrain::rural;
    double policing_difficulty = 0;  // [0,1]
    std::string authority;
    double legitimacy = 0.5;  // baseline L0 in [0,1]
    double hardship = 0.5;    // baseline H0 in [0,1]
    std::optional<GridSpec> grid;
    int country_index = 0;    // into ScenarioSpec::countries
    SourceLoc loc;
};

struct EdgeSpec {
    int from = 0;  // region index
    int to = 0;
    double travel_days = 1;
};

struct CrossingSpec {
    std::string id;
    int from = 0;  // region index (edge endpoints; crossings are usable both ways)
    int to = 0;
    CrossingKind kind = CrossingKind::open_desert;
    double frontier_km = 0;
    double base_detection = 0;  // probability per crossing attempt with no guards
    double smuggler_fee = 0;    // USD per person
    int guard_force = -1;       // index into forces; -1 = unguarded
    SourceLoc loc;
};

struct ForceSpec {
    std::string faction;
    std::vector<double> strength;  // personnel per region (size = regions)
    std::array<double, kTasks> allocation{1, 0, 0, 0, 0};  // shares of strength by task, sum 1
    double intelligence = 0.5;    // [0,1]
    double isr = 0;               // coalition ISR multiplier on intelligence, >= 0
    double air_strikes_per_day = 0;
    double replenish_per_day = 0;  // fraction of the deficit to authorised strength refilled
    SourceLoc loc;
};

struct SiteSpec {
    std::string id;
    int region = 0;
    SiteKind kind = SiteKind::prison;
    double capacity = 0;
    std::array<double, kOrigins> detainees{};  // fighters by origin
    double families = 0;                       // wives, children and relatives (C03)
    std::vector<std::pair<int, double>> guards;  // (force index, personnel)
    SourceLoc loc;
};

// A block of fighters placed in a region at the start, partitioned into cells.
struct FighterGroupSpec {
    int region = 0;
    double count = 0;
    std::array<double, kOrigins> origin_share{1, 0, 0, 0};
    double active_share = 0.5;  // rest start as sleepers
    double mean_cell_size = 5;
    double experience = 0.3;   // mean experience in [0,1]
    double funds = 0;           // USD per fighter at start (F08)
    double leader_share = 0.05;
    SourceLoc loc;
};

struct CivilianSpec {
    bool enabled = false;
    CivilianMode mode = CivilianMode::mixed;
    double scale = 1;  // persons per civilian agent
    ArrestRatio arrest_ratio = ArrestRatio::floor;
    JailTermDraw jail_term = JailTermDraw::netlogo;
    Neighbourhood neighbourhood = Neighbourhood::von_neumann;
    bool movement = true;  // grid mode: agents and patrols move each day
    Activation activation = Activation::random;
    int activation_block = 64;  // cells, the side of a block (activation: blocks); assumption
};

struct ResurgenceSpec {
    // Days to resurgence: first day d at which attacks in the 30 days ending at d exceed this.
    double attacks_per_30_days = 0;  // 0 = not defined for this scenario
    int country = -1;                // restrict the count to one country; -1 = all
    // Days to resurgence are counted from this day (days; the day the scenario's question
    // starts): the first day d >= from_day whose trailing 30 days exceed the threshold gives
    // d - from_day. The trailing window may reach back before from_day.
    int from_day = 0;
};

struct OutputSpec {
    std::string dir;  // default results/<scenario name>
    bool timeseries = true;
    bool events = true;
    bool regions = false;
    bool cell_sizes = false;
    bool plots = true;
};

struct ScenarioSpec {
    std::string name;
    std::string description;
    std::string question;
    std::string file;       // path as given
    std::string file_hash;  // FNV-1a 64 of the bytes of the file and its includes, hex
    Date start;
    int horizon_days = 365;
    std::uint64_t seed = 1;
    int replications = 1;
    bool checks = true;  // conservation and range checks every day (when compiled in)

    std::vector<std::string> countries;  // derived from regions, in order of first appearance
    std::vector<RegionSpec> regions;
    std::vector<EdgeSpec> edges;
    std::vector<CrossingSpec> crossings;
    std::vector<ForceSpec> forces;
    std::vector<SiteSpec> sites;
    std::vector<FighterGroupSpec> fighters;
    CivilianSpec civilians;
    ParamSet params;
    std::vector<std::shared_ptr<const Event>> events;  // sorted by day, stable
    ResurgenceSpec resurgence;
    OutputSpec outputs;
    std::vector<std::string> overrides;  // "key=value" as applied, for run.json

    [[nodiscard]] int region_index(std::string_view id) const noexcept;
    [[nodiscard]] int force_index(std::string_view faction) const noexcept;
    [[nodiscard]] int site_index(std::string_view id) const noexcept;
    [[nodiscard]] int crossing_index(std::string_view id) const noexcept;
    [[nodiscard]] Date date_of(int day) const noexcept { return start.plus_days(day); }
};

}  // namespace resurgence
