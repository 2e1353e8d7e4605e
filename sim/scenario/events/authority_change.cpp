// authority_change: another authority takes over some regions (model-spec §6, §5.9; S04: the
// Syrian regime redeploys to Kurdish areas after 13 Oct 2019). The regions' authority becomes
// `authority`; with `legitimacy` the new authority starts at that legitimacy (current value and
// the baseline L0 it relaxes toward); with `delta` both move by delta (a lasting change).
//
//   - kind: authority_change
//     date: 2019-10-14
//     regions: [raqqa, tal_abyad]
//     authority: syrian_government
//     legitimacy: 0.2          # or delta: -0.1; or neither (authority only)
#include <fmt/format.h>

#include <algorithm>

#include "event_common.hpp"
#include "events_impl.hpp"
#include "resurgence/model/detention.hpp"
#include "resurgence/model/state.hpp"

namespace resurgence::events {
namespace {

class AuthorityChange final : public Event, public EventSetup {
  public:
    AuthorityChange(int day, SourceLoc loc, std::vector<int> regions, std::string authority,
                    std::optional<double> legitimacy, std::optional<double> delta)
        : Event("authority_change", day, std::move(loc)),
          regions_(std::move(regions)),
          authority_(std::move(authority)),
          legitimacy_(legitimacy),
          delta_(delta) {}

    // Registers the authority before the first day: applying it then allocates nothing.
    void setup(SimState& state) const override { (void)state.authority_index(authority_); }

    void apply(SimState& state) const override {
        const int a = state.authority_index(authority_);
        auto& rs = state.regions;
        for (const int r : regions_) {
            const auto i = static_cast<std::size_t>(r);
            rs.authority[i] = a;
            if (legitimacy_) {
                rs.legitimacy[i] = *legitimacy_;
                rs.legitimacy_base[i] = *legitimacy_;
            } else if (delta_) {
                rs.legitimacy[i] = std::clamp(rs.legitimacy[i] + *delta_, 0.0, 1.0);
                rs.legitimacy_base[i] = std::clamp(rs.legitimacy_base[i] + *delta_, 0.0, 1.0);
            }
        }
    }

    std::string summary(const ScenarioSpec& spec) const override {
        std::string change;
        if (legitimacy_)
            change = fmt::format(", legitimacy {:g}", *legitimacy_);
        else if (delta_)
            change = fmt::format(", legitimacy {:+g}", *delta_);
        return fmt::format("{} takes over {}{}", authority_, describe_regions(regions_, spec),
                           change);
    }

  private:
    std::vector<int> regions_;
    std::string authority_;
    std::optional<double> legitimacy_;
    std::optional<double> delta_;
};

}  // namespace

std::shared_ptr<const Event> parse_authority_change(doc::MapReader& reader,
                                                    const ScenarioSpec& spec, int day,
                                                    SourceLoc loc) {
    reader.allow({"kind", "day", "date", "note", "regions", "authority", "legitimacy", "delta"});
    auto regions = read_regions(reader, "regions", spec, true);
    const auto authority = reader.string("authority", true);
    if (reader.has("legitimacy") && reader.has("delta")) {
        reader.problem(
            "delta",
            "give legitimacy (the new authority's level, 0 to 1) or delta (a change, -1 to 1), "
            "not both");
        return nullptr;
    }
    std::optional<double> legitimacy, delta;
    bool ok = true;
    if (reader.has("legitimacy")) {
        legitimacy = reader.number("legitimacy", 0.0, 1.0, "", true);
        ok = legitimacy.has_value();
    }
    if (reader.has("delta")) {
        delta = reader.number("delta", -1.0, 1.0, "legitimacy", true);
        ok = delta.has_value();
    }
    if (authority && authority->empty()) {
        reader.problem("authority", "the authority's name is empty");
        return nullptr;
    }
    if (regions.empty() || !authority || !ok) return nullptr;
    return std::make_shared<AuthorityChange>(day, std::move(loc), std::move(regions), *authority,
                                             legitimacy, delta);
}

}  // namespace resurgence::events
