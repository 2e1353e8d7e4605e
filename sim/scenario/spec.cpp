#include "resurgence/scenario/spec.hpp"

#include <algorithm>
#include <string_view>

namespace resurgence {

// The names below are the words a scenario file uses; the schema readers match against the
// same spelling (schema.hpp keeps the lists in enum order), so keep the two in step.
const char* name_of(Terrain t) {
    switch (t) {
        case Terrain::urban: return "urban";
        case Terrain::rural: return "rural";
        case Terrain::desert: return "desert";
        case Terrain::rugged: return "rugged";
        case Terrain::riverine: return "riverine";
    }
    return "?";
}

const char* name_of(Origin o) {
    switch (o) {
        case Origin::iraqi: return "iraqi";
        case Origin::syrian: return "syrian";
        case Origin::foreign_european: return "foreign_european";
        case Origin::foreign_other: return "foreign_other";
    }
    return "?";
}

const char* name_of(FighterStatus s) {
    switch (s) {
        case FighterStatus::active: return "active";
        case FighterStatus::sleeper: return "sleeper";
        case FighterStatus::in_transit: return "in_transit";
        case FighterStatus::detained: return "detained";
        case FighterStatus::dead: return "dead";
        case FighterStatus::disengaged: return "disengaged";
    }
    return "?";
}

const char* name_of(Task t) {
    switch (t) {
        case Task::patrol: return "patrol";
        case Task::border: return "border";
        case Task::guard: return "guard";
        case Task::front: return "front";
        case Task::reserve: return "reserve";
    }
    return "?";
}

const char* name_of(CrossingKind k) {
    switch (k) {
        case CrossingKind::official: return "official";
        case CrossingKind::open_desert: return "open_desert";
        case CrossingKind::tunnel: return "tunnel";
        case CrossingKind::smuggling_route: return "smuggling_route";
    }
    return "?";
}

const char* name_of(SiteKind k) {
    switch (k) {
        case SiteKind::prison: return "prison";
        case SiteKind::camp: return "camp";
    }
    return "?";
}

const char* name_of(CivilianMode m) {
    switch (m) {
        case CivilianMode::mixed: return "mixed";
        case CivilianMode::grid: return "grid";
    }
    return "?";
}

const char* name_of(ArrestRatio a) {
    switch (a) {
        case ArrestRatio::floor: return "floor";
        case ArrestRatio::round: return "round";
        case ArrestRatio::exact: return "exact";
    }
    return "?";
}

const char* name_of(JailTermDraw j) {
    switch (j) {
        case JailTermDraw::netlogo: return "netlogo";
        case JailTermDraw::mesa: return "mesa";
        case JailTermDraw::epstein: return "epstein";
    }
    return "?";
}

const char* name_of(Neighbourhood n) {
    switch (n) {
        case Neighbourhood::von_neumann: return "von_neumann";
        case Neighbourhood::moore: return "moore";
        case Neighbourhood::disk: return "disk";
    }
    return "?";
}

const char* name_of(Activation a) {
    switch (a) {
        case Activation::random: return "random";
        case Activation::blocks: return "blocks";
    }
    return "?";
}

// Assumption (B06: "the greatest militaries in the world ... would not be able to control this
// territory"): open desert is hardest to police, then rugged hills, river valleys with reed
// beds and islands, farmland, and cities, where patrols and informants are densest.
double default_policing_difficulty(Terrain t) noexcept {
    switch (t) {
        case Terrain::urban: return 0.2;
        case Terrain::rural: return 0.5;
        case Terrain::desert: return 0.9;
        case Terrain::rugged: return 0.75;
        case Terrain::riverine: return 0.6;
    }
    return 0.5;
}

namespace {
template <class T, class Key>
int index_of(const std::vector<T>& items, std::string_view name, Key key) noexcept {
    const auto it =
        std::find_if(items.begin(), items.end(), [&](const T& x) { return key(x) == name; });
    return it == items.end() ? -1 : static_cast<int>(it - items.begin());
}
}  // namespace

int ScenarioSpec::region_index(std::string_view id) const noexcept {
    return index_of(regions, id, [](const RegionSpec& r) -> const std::string& { return r.id; });
}

int ScenarioSpec::force_index(std::string_view faction) const noexcept {
    return index_of(forces, faction,
                    [](const ForceSpec& f) -> const std::string& { return f.faction; });
}

int ScenarioSpec::site_index(std::string_view id) const noexcept {
    return index_of(sites, id, [](const SiteSpec& s) -> const std::string& { return s.id; });
}

int ScenarioSpec::crossing_index(std::string_view id) const noexcept {
    return index_of(crossings, id,
                    [](const CrossingSpec& c) -> const std::string& { return c.id; });
}

}  // namespace resurgence
