// resurgence: (the indicator's threshold, model-spec §7) and outputs: (which files a run writes).
#include <fmt/format.h>

#include <algorithm>

#include "schema.hpp"

namespace resurgence::schema {

void read_resurgence(doc::MapReader& root, ScenarioSpec& spec) {
    const doc::Node* node = root.map("resurgence", false);
    if (node == nullptr) return;
    doc::MapReader r(*node, "resurgence", root.problems());
    r.allow({"attacks_per_30_days", "country", "from_day", "from_date"});
    if (auto a = r.number("attacks_per_30_days", 0, 1e9, "attacks", false, 0.0))
        spec.resurgence.attacks_per_30_days = *a;
    if (auto c = r.string("country", false)) {
        const auto it = std::find(spec.countries.begin(), spec.countries.end(), *c);
        if (it == spec.countries.end())
            r.problem("country", unknown_ref("country", "countries in regions", *c, spec.countries));
        else
            spec.resurgence.country = static_cast<int>(it - spec.countries.begin());
    }
    // The day the scenario's question starts (its change of policy): days to resurgence are
    // counted from it. A day index or a date, as an event's.
    if (auto d = day_in_run(r, spec, header_ok(root, "start_date"), header_ok(root, "horizon_days"),
                            "from_day", "from_date", false))
        spec.resurgence.from_day = *d;
}

void read_outputs(doc::MapReader& root, ScenarioSpec& spec) {
    auto& out = spec.outputs;
    out.dir = "results/" + spec.name;
    const doc::Node* node = root.map("outputs", false);
    if (node == nullptr) return;
    doc::MapReader o(*node, "outputs", root.problems());
    o.allow({"dir", "timeseries", "events", "regions", "cell_sizes", "plots"});
    if (auto d = o.string("dir", false)) {
        if (d->empty()) o.problem("dir", "the output folder cannot be empty");
        else out.dir = *d;
    }
    if (auto b = o.boolean("timeseries", false, true)) out.timeseries = *b;
    if (auto b = o.boolean("events", false, true)) out.events = *b;
    if (auto b = o.boolean("regions", false, false)) out.regions = *b;
    if (auto b = o.boolean("cell_sizes", false, false)) out.cell_sizes = *b;
    if (auto b = o.boolean("plots", false, true)) out.plots = *b;
}

}  // namespace resurgence::schema
