#include "resurgence/run/runner.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "resurgence/core/error.hpp"
#include "resurgence/core/version.hpp"
#include "resurgence/model/simulation.hpp"
#include "resurgence/output/files.hpp"
#include "resurgence/scenario/events.hpp"

namespace resurgence {
namespace fs = std::filesystem;

int resolve_threads(int requested) noexcept {
    if (requested > 0) return requested;
    const unsigned hw = std::thread::hardware_concurrency();
    return hw == 0 ? 1 : static_cast<int>(hw);
}

std::string timeseries_header(const ScenarioSpec& spec) {
    ColumnLayout layout(spec.countries);
    std::string h = "replication,day,date";
    for (const auto& c : layout.columns()) h += "," + c.name;
    return h + "\n";
}

std::string events_header() { return "replication,day,date,region,type,severity,count,detail\n"; }

std::string summary_header() {
    std::string h = "replication,seed";
    for (const auto& o : summary_outcomes()) h += fmt::format(",{}", o.name);
    return h + "\n";
}

std::string regions_header() {
    std::string h = "replication,day,date,region";
    for (const auto& c : region_columns()) h += fmt::format(",{}", c.name);
    return h + "\n";
}

ReplicationResult run_replication(const ScenarioSpec& spec, int replication) {
    ColumnLayout layout(spec.countries);
    Simulation sim(spec, layout, replication);
    return sim.run();
}

namespace {

std::string json_number(double v) {
    if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
    return fmt::format("{:.17g}", v);
}

std::string json_columns(const std::vector<Column>& cols) {
    std::string out = "[";
    for (std::size_t i = 0; i < cols.size(); ++i) {
        const auto& c = cols[i];
        out += fmt::format("{}\n      {{\"name\": \"{}\", \"unit\": \"{}\", \"kind\": \"{}\", \"description\": \"{}\"}}",
                           i ? "," : "", json_escape(c.name), json_escape(c.unit),
                           c.kind == IndicatorKind::stock ? "stock" : "flow",
                           json_escape(c.description));
    }
    return out + "\n    ]";
}

}  // namespace

std::string run_json(const ScenarioSpec& spec) {
    std::string j = "{\n";
    j += fmt::format("  \"version\": \"{}\",\n  \"git_hash\": \"{}\",\n", version_string(), git_hash());
    j += "  \"scenario\": {\n";
    j += fmt::format("    \"name\": \"{}\",\n    \"file\": \"{}\",\n    \"file_hash\": \"{}\",\n",
                     json_escape(spec.name), json_escape(spec.file), spec.file_hash);
    j += fmt::format("    \"description\": \"{}\",\n    \"question\": \"{}\",\n",
                     json_escape(spec.description), json_escape(spec.question));
    j += fmt::format("    \"start_date\": \"{}\",\n    \"horizon_days\": {},\n", spec.start.iso(),
                     spec.horizon_days);
    j += "    \"countries\": [";
    for (std::size_t i = 0; i < spec.countries.size(); ++i)
        j += fmt::format("{}\"{}\"", i ? ", " : "", json_escape(spec.countries[i]));
    j += "],\n";
    // The resurgence threshold (model-spec §7): the summary's days_to_resurgence counts attacks
    // in `country` (null: every country) against attacks_per_30_days (0: not defined), counted
    // in days from from_day.
    {
        const int c = spec.resurgence.country;
        const std::string country =
            c >= 0 && static_cast<std::size_t>(c) < spec.countries.size()
                ? fmt::format("\"{}\"", json_escape(spec.countries[static_cast<std::size_t>(c)]))
                : std::string("null");
        j += fmt::format("    \"resurgence\": {{\"attacks_per_30_days\": {}, \"country\": {}, "
                         "\"from_day\": {}}},\n",
                         spec.resurgence.attacks_per_30_days, country, spec.resurgence.from_day);
    }
    j += "    \"regions\": [";
    for (std::size_t i = 0; i < spec.regions.size(); ++i)
        j += fmt::format("{}\"{}\"", i ? ", " : "", json_escape(spec.regions[i].id));
    j += "],\n    \"events\": [";
    for (std::size_t i = 0; i < spec.events.size(); ++i) {
        const auto& e = *spec.events[i];
        j += fmt::format("{}\n      {{\"day\": {}, \"date\": \"{}\", \"kind\": \"{}\", \"summary\": \"{}\"}}",
                         i ? "," : "", e.day(), spec.date_of(e.day()).iso(), e.kind(),
                         json_escape(e.summary(spec)));
    }
    j += spec.events.empty() ? "]\n  },\n" : "\n    ]\n  },\n";
    j += fmt::format("  \"replications\": {},\n  \"seed\": {},\n", spec.replications, spec.seed);
    j += "  \"files\": [";
    {
        const char* sep = "";
        const auto file = [&](bool on, const char* name) {
            if (!on) return;
            j += fmt::format("{}\"{}\"", sep, name);
            sep = ", ";
        };
        file(spec.outputs.timeseries, "timeseries.csv");
        file(spec.outputs.events, "events.csv");
        file(spec.outputs.regions, "regions.csv");
        file(spec.outputs.cell_sizes, "cell_sizes.csv");
        file(true, "summary.csv");
        file(true, "run.json");
    }
    j += "],\n";
    j += "  \"seed_rule\": \"stream = xoshiro256**(splitmix64 chain of (seed, replication, purpose, entity)); replication r uses (seed, r)\",\n";
    j += "  \"overrides\": [";
    for (std::size_t i = 0; i < spec.overrides.size(); ++i)
        j += fmt::format("{}\"{}\"", i ? ", " : "", json_escape(spec.overrides[i]));
    j += "],\n  \"parameters\": [";
    const auto table = parameter_table();
    for (std::size_t i = 0; i < table.size(); ++i) {
        const auto& p = table[i];
        j += fmt::format("{}\n    {{\"name\": \"{}\", \"value\": {}, \"default\": {}, \"unit\": \"{}\", \"source\": \"{}\"}}",
                         i ? "," : "", p.name, json_number(spec.params[p.id]),
                         json_number(p.default_value), json_escape(p.unit), json_escape(p.source));
    }
    j += "\n  ],\n  \"columns\": {\n    \"timeseries\": ";
    j += json_columns(ColumnLayout(spec.countries).columns());
    j += ",\n    \"summary\": [";
    const auto outs = summary_outcomes();
    for (std::size_t i = 0; i < outs.size(); ++i)
        j += fmt::format("{}\n      {{\"name\": \"{}\", \"unit\": \"{}\", \"description\": \"{}\"}}",
                         i ? "," : "", outs[i].name, outs[i].unit, json_escape(outs[i].description));
    j += "\n    ],\n    \"regions\": [";
    const auto rcols = region_columns();  // regions.csv, when asked
    for (std::size_t i = 0; i < rcols.size(); ++i) {
        const auto& c = rcols[i];
        j += fmt::format("{}\n      {{\"name\": \"{}\", \"unit\": \"{}\", \"kind\": \"{}\", \"description\": \"{}\"}}",
                         i ? "," : "", c.name, c.unit,
                         c.kind == IndicatorKind::stock ? "stock" : "flow", json_escape(c.description));
    }
    j += "\n    ]\n  }\n}\n";
    return j;
}

namespace {

// Accepts replication results in any order and appends them to the files in replication order.
class OrderedWriter {
public:
    OrderedWriter(const ScenarioSpec& spec, const fs::path& dir) : spec_(spec) {
        if (spec.outputs.timeseries) {
            timeseries_.emplace(dir / "timeseries.csv");
            timeseries_->write(timeseries_header(spec));
        }
        if (spec.outputs.events) {
            events_.emplace(dir / "events.csv");
            events_->write(events_header());
        }
        if (spec.outputs.regions) {
            regions_.emplace(dir / "regions.csv");
            regions_->write(regions_header());
        }
        if (spec.outputs.cell_sizes) {
            cells_.emplace(dir / "cell_sizes.csv");
            cells_->write("replication,day,size,count\n");
        }
        summary_.emplace(dir / "summary.csv");
        summary_->write(summary_header());
    }

    void submit(ReplicationResult&& r) {
        std::lock_guard lock(mutex_);
        pending_.emplace(r.replication, std::move(r));
        while (!pending_.empty() && pending_.begin()->first == next_) {
            write(pending_.begin()->second);
            pending_.erase(pending_.begin());
            ++next_;
        }
    }

    // The data files and run.json appear together or not at all; run.json is renamed last.
    void commit(AtomicFile& run_json) {
        const auto opt = [](std::optional<AtomicFile>& f) { return f ? &*f : nullptr; };
        commit_together({opt(timeseries_), opt(events_), opt(regions_), opt(cells_), &*summary_, &run_json});
    }

private:
    void write(const ReplicationResult& r) {
        if (timeseries_) timeseries_->write(r.timeseries);
        if (events_) events_->write(r.events);
        if (regions_) regions_->write(r.regions);
        if (cells_) cells_->write(r.cell_sizes);
        line_.clear();
        format_summary_row(line_, r);
        summary_->write(line_);
    }

    const ScenarioSpec& spec_;
    std::mutex mutex_;
    std::map<int, ReplicationResult> pending_;
    int next_ = 0;
    std::string line_;
    std::optional<AtomicFile> timeseries_, events_, regions_, cells_, summary_;
};

}  // namespace

RunReport run_scenario(const ScenarioSpec& spec, const RunOptions& options) {
    const auto t0 = std::chrono::steady_clock::now();
    const fs::path dir = options.out_dir.empty() ? fs::path(spec.outputs.dir) : options.out_dir;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw RuntimeFailure(fmt::format("cannot create output folder {}: {}", dir.string(), ec.message()));
    // run.json marks a complete folder: remove it first, write it last. The data files of an
    // earlier run in the same folder go too, so that none of them (a regions.csv this run does
    // not write, say) can pass for part of this run.
    for (const char* name : kRunOutputFiles) {
        fs::remove(dir / name, ec);
        if (ec)
            throw RuntimeFailure(fmt::format("cannot remove the earlier {}: {}", (dir / name).string(),
                                             ec.message()));
    }

    const ColumnLayout layout(spec.countries);
    OrderedWriter writer(spec, dir);
    const int total = spec.replications;
    const int nthreads = std::min(resolve_threads(options.threads), total);
    std::atomic<int> next{0};
    std::atomic<int> done{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex error_mutex, progress_mutex;

    auto worker = [&] {
        for (;;) {
            const int rep = next.fetch_add(1);
            if (rep >= total || failed.load()) return;
            try {
                const auto r0 = std::chrono::steady_clock::now();
                Simulation sim(spec, layout, rep);
                ReplicationResult result = sim.run();
                spdlog::debug("replication {} (seed {}, stream (seed, {})): {} days in {:.3f} s", rep,
                              spec.seed, rep, spec.horizon_days,
                              std::chrono::duration<double>(std::chrono::steady_clock::now() - r0).count());
                writer.submit(std::move(result));
            } catch (...) {
                std::lock_guard lock(error_mutex);
                if (!error) error = std::current_exception();
                failed = true;
                return;
            }
            const int d = done.fetch_add(1) + 1;
            if (options.progress) {
                std::lock_guard lock(progress_mutex);
                options.progress(d, total);
            }
        }
    };
    if (nthreads <= 1) {
        worker();
    } else {
        std::vector<std::jthread> pool;
        pool.reserve(static_cast<std::size_t>(nthreads));
        for (int i = 0; i < nthreads; ++i) pool.emplace_back(worker);
    }
    if (error) std::rethrow_exception(error);  // temporaries are removed by ~AtomicFile

    AtomicFile json(dir / "run.json");
    json.write(run_json(spec));
    writer.commit(json);
    spdlog::debug("committed the outputs of {} replications to {}", total, dir.string());
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return RunReport{dir, total, secs};
}

}  // namespace resurgence
