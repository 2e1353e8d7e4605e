// detention_sites: prisons and camps (model-spec §5.8; C01–C03, C08). Each site's detainees
// become Fighter agents (status detained) at the start; families are a count
// (docs/model-detention.md).
//
//   detention_sites:
//     - id: al_hawl
//       region: hasakah
//       kind: camp                 # prison | camp
//       capacity: 10000            # persons
//       detainees: {syrian: 500, foreign_european: 100}   # fighters by origin
//       families: 6000             # wives, children, relatives (C03)
//       guards: {sdf: 400}         # personnel by force (scaled by its guard task each day)
#include <fmt/format.h>

#include <unordered_map>

#include "schema.hpp"

namespace resurgence::schema {
namespace {

void read_detainees(doc::MapReader& s, SiteSpec& site) {
    const doc::Node* node = s.map("detainees", false);
    if (node == nullptr) return;
    doc::MapReader d(*node, s.path_of("detainees"), s.problems());
    check_keys(*node, d.path(), d.problems(), kOriginNames);
    for (std::size_t o = 0; o < kOrigins; ++o)
        if (auto v = d.number(kOriginNames[o], 0, 1e7, "persons", false, 0.0)) site.detainees[o] = *v;
}

void read_guards(doc::MapReader& s, const ScenarioSpec& spec, SiteSpec& site) {
    const doc::Node* node = s.map("guards", false);
    if (node == nullptr) return;
    doc::MapReader g(*node, s.path_of("guards"), s.problems());
    std::vector<std::string> known;
    for (const auto& force : spec.forces) known.push_back(force.faction);
    for (const auto& [key, value] : node->entries) {
        (void)value;
        const int f = spec.force_index(key.scalar);
        if (f < 0)
            s.problems().add(key.mark, g.path_of(key.scalar),
                             unknown_ref("force", "forces", key.scalar, known));
        const auto personnel = g.number(key.scalar, 0, 1e6, "personnel", true);
        if (f >= 0 && personnel) site.guards.emplace_back(f, *personnel);
    }
}

}  // namespace

void read_sites(doc::MapReader& root, ScenarioSpec& spec) {
    const doc::Node* list = root.sequence("detention_sites", false);
    if (list == nullptr) return;
    std::unordered_map<std::string, doc::Mark> seen;
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const doc::Node& item = list->items[i];
        const std::string path = index_path("detention_sites", i);
        if (!item.is_map()) {
            root.problems().add(item.mark, path,
                                fmt::format("expected a map {{id: …, region: …, kind: …}}, got {}",
                                            describe(item)));
            continue;
        }
        doc::MapReader s(item, path, root.problems());
        s.allow({"id", "region", "kind", "capacity", "detainees", "families", "guards"});
        SiteSpec site;
        site.loc = loc_of(item);
        if (auto id = identifier(s, "id", true)) {
            site.id = *id;
            const auto [it, inserted] = seen.try_emplace(*id, s.get("id")->mark);
            if (!inserted)
                s.problem("id", fmt::format("duplicate site id '{}' (first at {})", *id,
                                            where(it->second, s.get("id")->mark)));
        }
        site.region = region_ref(s, "region", spec, true);
        if (auto k = s.choice("kind", {"prison", "camp"}, true)) site.kind = static_cast<SiteKind>(*k);
        if (auto c = positive(s, "capacity", 1e7, "persons", true)) site.capacity = *c;
        read_detainees(s, site);
        if (auto f = s.number("families", 0, 1e7, "persons", false, 0.0)) site.families = *f;
        read_guards(s, spec, site);
        spec.sites.push_back(std::move(site));
    }
}

}  // namespace resurgence::schema
