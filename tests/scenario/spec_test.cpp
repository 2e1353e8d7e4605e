// spec.cpp: enum names, terrain defaults, index lookups.
#include <catch2/catch.hpp>

#include <string>

#include "resurgence/scenario/spec.hpp"

using namespace resurgence;

TEST_CASE("name_of spells every enum value as the schema does", "[scenario][spec]") {
    CHECK(std::string(name_of(Terrain::riverine)) == "riverine");
    CHECK(std::string(name_of(Origin::foreign_european)) == "foreign_european");
    CHECK(std::string(name_of(FighterStatus::in_transit)) == "in_transit");
    CHECK(std::string(name_of(Task::reserve)) == "reserve");
    CHECK(std::string(name_of(CrossingKind::smuggling_route)) == "smuggling_route");
    CHECK(std::string(name_of(SiteKind::camp)) == "camp");
    CHECK(std::string(name_of(CivilianMode::grid)) == "grid");
    CHECK(std::string(name_of(ArrestRatio::exact)) == "exact");
    CHECK(std::string(name_of(JailTermDraw::epstein)) == "epstein");
    CHECK(std::string(name_of(Neighbourhood::von_neumann)) == "von_neumann");
    for (int t = 0; t < kTerrains; ++t) CHECK(std::string(name_of(static_cast<Terrain>(t))) != "?");
    for (int s = 0; s < kFighterStatuses; ++s)
        CHECK(std::string(name_of(static_cast<FighterStatus>(s))) != "?");
}

TEST_CASE("policing difficulty: open desert is hardest (B06), cities easiest", "[scenario][spec]") {
    for (int t = 0; t < kTerrains; ++t) {
        const double d = default_policing_difficulty(static_cast<Terrain>(t));
        CHECK((d >= 0.0 && d <= 1.0));
        CHECK(d <= default_policing_difficulty(Terrain::desert));
        CHECK(d >= default_policing_difficulty(Terrain::urban));
    }
}

TEST_CASE("ScenarioSpec index lookups", "[scenario][spec]") {
    ScenarioSpec s;
    s.regions.resize(2);
    s.regions[0].id = "nineveh";
    s.regions[1].id = "anbar";
    s.forces.resize(1);
    s.forces[0].faction = "iraqi_army";
    s.sites.resize(1);
    s.sites[0].id = "al_hol";
    s.crossings.resize(1);
    s.crossings[0].id = "al_qaim";
    CHECK(s.region_index("anbar") == 1);
    CHECK(s.region_index("basra") == -1);
    CHECK(s.force_index("iraqi_army") == 0);
    CHECK(s.force_index("sdf") == -1);
    CHECK(s.site_index("al_hol") == 0);
    CHECK(s.crossing_index("al_qaim") == 0);
    CHECK(s.crossing_index("rabia") == -1);
}
