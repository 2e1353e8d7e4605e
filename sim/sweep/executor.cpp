#include "resurgence/sweep/executor.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <iterator>
#include <list>
#include <mutex>
#include <sstream>
#include <thread>

#include "resurgence/core/error.hpp"
#include "resurgence/core/version.hpp"
#include "resurgence/output/files.hpp"
#include "resurgence/output/recorder.hpp"
#include "resurgence/run/runner.hpp"
#include "resurgence/scenario/loader.hpp"
#include "resurgence/stats/summary.hpp"

namespace resurgence::sweep {
namespace fs = std::filesystem;

Shard parse_shard(std::string_view text) {
    int i = 0, n = 0;
    char slash = 0, extra = 0;
    const std::string s(text);
    if (std::sscanf(s.c_str(), "%d%c%d%c", &i, &slash, &n, &extra) != 3 || slash != '/' || n < 1 ||
        i < 1 || i > n)
        throw InputError(fmt::format("--shard {}: expected i/N with 1 <= i <= N, e.g. --shard 2/8",
                                     text));
    return Shard{i - 1, n};
}

fs::path default_output_dir(const Sweep& sweep) {
    if (!sweep.spec().output.empty()) return sweep.spec().output;
    return fs::path("results") / "sweeps" / sweep.spec().name;
}

namespace {

std::string message_of(const std::exception& e) {
    if (const auto* ie = dynamic_cast<const InputError*>(&e)) {
        std::string m;
        for (const auto& p : ie->problems()) m += (m.empty() ? "" : "; ") + p.str();
        return m;
    }
    return e.what();
}

// Runs one plan: the point's scenario (loaded once per point, shared by its replications while
// they run) and the replication. Thread-safe.
class PlanRunner {
public:
    PlanRunner(const Sweep& sweep, std::size_t cache_size) : sweep_(sweep), capacity_(cache_size) {}

    std::string run(std::uint64_t index) {
        const Plan plan = sweep_.plan(index);
        Record rec;
        rec.plan = index;
        rec.seed = plan.seed;
        try {
            const auto spec = spec_for(plan.point);
            ReplicationResult r = run_replication(*spec, plan.replication);
            if (r.summary.size() != summary_outcomes().size())
                throw RuntimeFailure(fmt::format("replication returned {} outcomes, expected {}",
                                                 r.summary.size(), summary_outcomes().size()));
            rec.values = std::move(r.summary);
        } catch (const InputError& e) {
            if (sweep_.spec().on_failure == FailurePolicy::stop) {
                spdlog::error("plan {} (point {}, replication {}): the point's scenario is invalid",
                              index, plan.point, plan.replication);
                throw;
            }
            rec.ok = false;
            rec.error = message_of(e);
        } catch (const std::exception& e) {
            if (sweep_.spec().on_failure == FailurePolicy::stop)
                throw RuntimeFailure(fmt::format("plan {} (point {}, replication {}, seed {}) failed: "
                                                 "{} (on_failure: record would record it and go on)",
                                                 index, plan.point, plan.replication, plan.seed,
                                                 e.what()));
            rec.ok = false;
            rec.error = message_of(e);
        }
        return format_record(rec);
    }

private:
    using SpecPtr = std::shared_ptr<const ScenarioSpec>;

    SpecPtr spec_for(std::uint64_t point) {
        std::shared_future<SpecPtr> future;
        std::optional<std::promise<SpecPtr>> mine;  // set when this thread loads the point
        {
            std::lock_guard lock(mutex_);
            for (auto it = cache_.begin(); it != cache_.end(); ++it)
                if (it->first == point) {
                    cache_.splice(cache_.begin(), cache_, it);
                    future = it->second;
                    break;
                }
            if (!future.valid()) {
                mine.emplace();
                future = mine->get_future().share();
                cache_.emplace_front(point, future);
                if (cache_.size() > capacity_) cache_.pop_back();  // holders keep their copy
            }
        }
        if (mine) {
            try {
                LoadOptions lo;
                lo.overrides = sweep_.point_overrides(point);
                auto spec = std::make_shared<const ScenarioSpec>(
                    load_scenario(sweep_.spec().base_path.string(), lo));
                if (spec->file_hash != sweep_.base().file_hash)
                    throw RuntimeFailure(fmt::format(
                        "the base scenario {} changed since the sweep started (hash {}, now {}): "
                        "restore it, or start the sweep over in another folder",
                        sweep_.spec().base_path.string(), sweep_.base().file_hash, spec->file_hash));
                mine->set_value(std::move(spec));
            } catch (...) {
                mine->set_exception(std::current_exception());
            }
        }
        return future.get();
    }

    const Sweep& sweep_;
    std::size_t capacity_;
    std::mutex mutex_;
    std::list<std::pair<std::uint64_t, std::shared_future<SpecPtr>>> cache_;
};

std::vector<std::string> split_csv(std::string_view line) {
    std::vector<std::string> out;
    std::size_t a = 0;
    for (;;) {
        const std::size_t b = line.find(',', a);
        out.emplace_back(line.substr(a, b - a));
        if (b == std::string_view::npos) return out;
        a = b + 1;
    }
}

std::string csv_quote(std::string_view s) {
    std::string q = "\"";
    for (char c : s) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + "\"";
}

SweepInfo info_of(const Sweep& sweep) {
    SweepInfo i;
    i.fingerprint = sweep.fingerprint();
    i.design = name_of(sweep.spec().design);
    i.points = sweep.points();
    i.replications = sweep.spec().replications;
    i.plans = sweep.plans();
    for (const auto& p : sweep.spec().parameters) i.parameters.push_back(p.name);
    for (const auto& o : summary_outcomes()) i.outcomes.emplace_back(o.name);
    i.version = fmt::format("{}+{}", version_string(), git_hash());
    return i;
}

JournalHeader header_of(const SweepInfo& info) {
    return JournalHeader{info.fingerprint, info.plans, info.outcomes.size(), info.version};
}

// Streams runs.csv, sweep_summary.csv and failures.csv, point by point, in plan order.
std::uint64_t write_outputs(const fs::path& design_csv, const SweepInfo& info,
                            const JournalIndex& index, const fs::path& out) {
    std::ifstream design(design_csv);
    if (!design) throw RuntimeFailure(fmt::format("cannot read {}", design_csv.string()));
    std::string line;
    std::getline(design, line);
    const auto head = split_csv(line);
    const std::size_t k = info.parameters.size();
    if (head.size() < 3 + k || !std::equal(info.parameters.begin(), info.parameters.end(), head.begin() + 3))
        throw RuntimeFailure(fmt::format("{} does not match sweep.json's parameters", design_csv.string()));

    const auto outcomes = summary_outcomes();
    std::string params_head;
    for (const auto& p : info.parameters) params_head += "," + p;
    std::string runs_head = "point,replication,seed" + params_head;
    std::string summary_head = "point" + params_head;
    for (const auto& o : outcomes) {
        runs_head += fmt::format(",{}", o.name);
        for (const char* s : {"mean", "sd", "q05", "q50", "q95", "ci_lo", "ci_hi"})
            summary_head += fmt::format(",{}_{}", o.name, s);
    }
    AtomicFile runs(out / "runs.csv"), summary(out / "sweep_summary.csv"), failures(out / "failures.csv");
    runs.write(runs_head + "\n");
    summary.write(summary_head + "\n");
    failures.write("point,replication,seed,message\n");

    const auto reps = static_cast<std::uint64_t>(info.replications);
    const std::size_t m = outcomes.size();
    std::vector<double> values(reps * m), column(reps), scratch;
    std::string rbuf, sbuf, fbuf, params;
    std::uint64_t failed = 0;
    for (std::uint64_t p = 0; p < info.points; ++p) {
        if (!std::getline(design, line))
            throw RuntimeFailure(fmt::format("{} ends before point {}", design_csv.string(), p));
        const auto cells = split_csv(line);
        if (cells.size() < 3 + k || cells[0] != std::to_string(p))
            throw RuntimeFailure(fmt::format("{}: bad row for point {}", design_csv.string(), p));
        params.clear();
        for (std::size_t i = 0; i < k; ++i) params += "," + cells[3 + i];
        for (std::uint64_t r = 0; r < reps; ++r) {
            const Record rec = index.read(p * reps + r);
            fmt::format_to(std::back_inserter(rbuf), "{},{},{}{}", p, r, rec.seed, params);
            for (std::size_t o = 0; o < m; ++o) {
                values[r * m + o] = rec.values[o];
                rbuf += ',';
                append_number(rbuf, rec.values[o]);
            }
            rbuf += '\n';
            if (!rec.ok) {
                ++failed;
                fmt::format_to(std::back_inserter(fbuf), "{},{},{},{}\n", p, r, rec.seed, csv_quote(rec.error));
            }
        }
        sbuf += std::to_string(p);
        sbuf += params;
        for (std::size_t o = 0; o < m; ++o) {
            for (std::uint64_t r = 0; r < reps; ++r) column[r] = values[r * m + o];
            const stats::Description d = stats::describe(column, scratch);
            for (double v : {d.mean, d.sd, d.q05, d.q50, d.q95, d.ci_lo, d.ci_hi}) {
                sbuf += ',';
                append_number(sbuf, v);
            }
        }
        sbuf += '\n';
        if (rbuf.size() > (1U << 20) || p + 1 == info.points) {
            runs.write(rbuf);
            summary.write(sbuf);
            failures.write(fbuf);
            rbuf.clear();
            sbuf.clear();
            fbuf.clear();
        }
    }
    failures.commit();
    runs.commit();
    summary.commit();
    return failed;
}

void write_design_csv(const Sweep& sweep, const fs::path& path) {
    AtomicFile f(path);
    std::string buf = sweep.design_csv_header();
    for (std::uint64_t p = 0; p < sweep.points(); ++p) {
        sweep.append_design_row(buf, p);
        if (buf.size() > (1U << 20)) {
            f.write(buf);
            buf.clear();
        }
    }
    f.write(buf);
    f.commit();
}

// Creates the folder's sweep.json and design.csv, or checks that they describe this sweep.
void prepare_dir(const Sweep& sweep, const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir / "journal", ec);
    if (ec) throw RuntimeFailure(fmt::format("cannot create {}: {}", (dir / "journal").string(), ec.message()));
    if (fs::exists(dir / "sweep.json")) {
        const SweepInfo info = read_sweep_info(dir);
        if (info.fingerprint != sweep.fingerprint())
            throw InputError(std::vector<Problem>{Problem{
                (dir / "sweep.json").string(), 0, 0, {},
                fmt::format("this folder holds another sweep (fingerprint {}; this one is {}): the "
                            "sweep file or its base scenario changed since it started. Use another "
                            "output folder (-o), or delete this one to start over",
                            info.fingerprint, sweep.fingerprint())}});
        if (!fs::exists(dir / "design.csv")) write_design_csv(sweep, dir / "design.csv");
        return;
    }
    write_design_csv(sweep, dir / "design.csv");
    write_file_atomic(dir / "sweep.json", sweep.sweep_json());  // last: marks a prepared folder
}

void report_index(const JournalIndex& index, const fs::path& where) {
    if (index.torn() > 0)
        spdlog::info("{}: {} unfinished record{} from an interrupted run ignored (those plans run again)",
                     where.string(), index.torn(), index.torn() == 1 ? "" : "s");
    if (index.corrupt() > 0)
        spdlog::warn("{}: {} corrupt record{} ignored (checksum or format; those plans run again)",
                     where.string(), index.corrupt(), index.corrupt() == 1 ? "" : "s");
    if (index.conflicts() > 0)
        spdlog::warn("{}: {} plan{} have different results in different journal segments (runs "
                     "from different builds?); the first is used",
                     where.string(), index.conflicts(), index.conflicts() == 1 ? "" : "s");
    if (index.versions().size() > 1)
        spdlog::warn("{}: results come from several builds: {}", where.string(),
                     fmt::join(index.versions(), ", "));
}

void run_local(const Sweep& sweep, const std::vector<std::uint64_t>& todo, int threads,
               JournalWriter& writer, const SweepOptions& o) {
    PlanRunner runner(sweep, static_cast<std::size_t>(2 * threads + 2));
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    std::atomic<long> done{0};
    std::exception_ptr error;
    std::mutex error_mutex, progress_mutex;
    const auto total = static_cast<long>(todo.size());
    auto worker = [&] {
        for (;;) {
            const std::size_t i = next.fetch_add(1);
            if (i >= todo.size() || stop.load()) return;
            try {
                writer.append(runner.run(todo[i]));
            } catch (...) {
                std::lock_guard lock(error_mutex);
                if (!error) error = std::current_exception();
                stop = true;
                return;
            }
            const long d = done.fetch_add(1) + 1;
            if (o.progress) {
                std::lock_guard lock(progress_mutex);
                o.progress(d, total);
            }
        }
    };
    if (threads <= 1) {
        worker();
    } else {
        std::vector<std::jthread> pool;
        for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
    }
    if (error) std::rethrow_exception(error);
}

}  // namespace

SweepInfo read_sweep_info(const fs::path& dir) {
    const fs::path path = dir / "sweep.json";
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(std::vector<Problem>{Problem{
            dir.string(), 0, 0, {}, "not a sweep folder (no sweep.json): give the folder a sweep wrote"}});
    std::ostringstream ss;
    ss << in.rdbuf();
    const doc::Node root = parse_document(ss.str(), path.string());
    auto bad = [&](const std::string& what) {
        return InputError(std::vector<Problem>{
            Problem{path.string(), 0, 0, {}, fmt::format("not a sweep.json this program wrote: {}", what)}});
    };
    auto text = [&](const doc::Node* n, const char* key) -> std::string {
        const doc::Node* v = n != nullptr ? n->find(key) : nullptr;
        if (v == nullptr || !v->is_scalar()) throw bad(fmt::format("no '{}'", key));
        return v->scalar;
    };
    auto number = [&](const doc::Node* n, const char* key) -> std::uint64_t {
        const std::string s = text(n, key);
        try {
            return std::stoull(s);
        } catch (const std::exception&) {
            throw bad(fmt::format("'{}' is not a whole number", key));
        }
    };
    auto names = [&](const char* key) {
        std::vector<std::string> out;
        const doc::Node* list = root.find(key);
        if (list == nullptr || !list->is_sequence()) throw bad(fmt::format("no '{}' list", key));
        for (const auto& item : list->items) out.push_back(text(&item, "name"));
        return out;
    };
    SweepInfo info;
    if (text(&root, "format") != "resurgence-sweep/1") throw bad("unknown format");
    info.fingerprint = text(&root, "fingerprint");
    info.version = text(&root, "version") + "+" + text(&root, "git_hash");
    const doc::Node* design = root.find("design");
    info.design = text(design, "kind");
    info.points = number(design, "points");
    info.replications = static_cast<int>(number(design, "replications"));
    info.plans = number(design, "plans");
    info.parameters = names("parameters");
    info.outcomes = names("outcomes");
    return info;
}

SweepReport run_sweep(const Sweep& sweep, const SweepOptions& o) {
    const auto t0 = std::chrono::steady_clock::now();
    const bool use_mpi = o.mpi != nullptr && o.mpi->active() && o.mpi->size() > 1;
    SweepReport rep;
    rep.plans = sweep.plans();
    rep.dir = o.out_dir.empty() ? default_output_dir(sweep) : o.out_dir;
    const SweepInfo info = info_of(sweep);
    const JournalHeader header = header_of(info);
    std::vector<std::uint64_t> todo;
    try {
        prepare_dir(sweep, rep.dir);
        JournalIndex index(header);
        index.scan(rep.dir / "journal");
        report_index(index, rep.dir / "journal");
        const auto reps = static_cast<std::uint64_t>(sweep.spec().replications);
        for (std::uint64_t plan = 0; plan < rep.plans; ++plan) {
            if (!o.shard.owns(plan / reps)) continue;
            ++rep.in_shard;
            if (index.done(plan)) ++rep.skipped;
            else todo.push_back(plan);
        }
    } catch (...) {
        if (use_mpi) o.mpi->coordinate({}, [](std::string&&) {});  // release the workers
        throw;
    }
    rep.workers = use_mpi ? o.mpi->size() - 1
                          : static_cast<int>(std::min<std::size_t>(
                                static_cast<std::size_t>(resolve_threads(o.threads)),
                                std::max<std::size_t>(todo.size(), 1)));
    spdlog::info("sweep {}: {} points x {} replications = {} plans{}; {} done before, {} to run on {} {}",
                 sweep.spec().name, sweep.points(), sweep.spec().replications, rep.plans,
                 o.shard.count > 1 ? fmt::format(" (shard {}/{}: {})", o.shard.index + 1, o.shard.count, rep.in_shard)
                                   : std::string(),
                 rep.skipped, todo.size(), rep.workers,
                 use_mpi ? (rep.workers == 1 ? "MPI rank" : "MPI ranks") : rep.workers == 1 ? "thread" : "threads");

    if (!todo.empty() || use_mpi) {
        const std::string tag = use_mpi              ? std::string("mpi")
                                : o.shard.count > 1 ? fmt::format("shard-{}-of-{}", o.shard.index + 1, o.shard.count)
                                                     : std::string("all");
        std::optional<JournalWriter> writer;
        try {
            if (!todo.empty()) writer.emplace(rep.dir / "journal", tag, header);
        } catch (...) {
            if (use_mpi) o.mpi->coordinate({}, [](std::string&&) {});
            throw;
        }
        if (use_mpi) {
            long done = 0;
            const auto total = static_cast<long>(todo.size());
            o.mpi->coordinate(todo, [&](std::string&& line) {
                writer->append(std::move(line));
                ++done;
                if (o.progress) o.progress(done, total);
            });
        } else {
            run_local(sweep, todo, rep.workers, *writer, o);
        }
        if (writer) writer->close();
        rep.ran = todo.size();
    }

    JournalIndex index(header);
    index.scan(rep.dir / "journal");
    rep.done = index.done_count();
    if (rep.done == rep.plans) {
        rep.failed = write_outputs(rep.dir / "design.csv", info, index, rep.dir);
        rep.complete = true;
    }
    rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return rep;
}

void serve_sweep(const Sweep& sweep, const mpi::Session& session) {
    PlanRunner runner(sweep, 2);
    session.work([&](std::uint64_t plan) { return runner.run(plan); });
}

MergeReport merge_sweeps(const std::vector<fs::path>& dirs, const fs::path& out) {
    if (dirs.empty()) throw InputError("merge: give at least one sweep folder");
    std::vector<SweepInfo> infos;
    for (const auto& d : dirs) infos.push_back(read_sweep_info(d));
    std::vector<Problem> problems;
    for (std::size_t i = 1; i < dirs.size(); ++i)
        if (infos[i].fingerprint != infos[0].fingerprint)
            problems.push_back(Problem{(dirs[i] / "sweep.json").string(), 0, 0, {},
                                       fmt::format("holds another sweep than {} (fingerprint {} vs {})",
                                                   dirs[0].string(), infos[i].fingerprint,
                                                   infos[0].fingerprint)});
    if (!problems.empty()) throw InputError(std::move(problems));
    const SweepInfo& info = infos[0];
    std::vector<std::string> current;
    for (const auto& o : summary_outcomes()) current.emplace_back(o.name);
    if (info.outcomes != current)
        throw InputError(std::vector<Problem>{Problem{
            (dirs[0] / "sweep.json").string(), 0, 0, {},
            fmt::format("written by a build with other outcomes ({}); this build has {}",
                        fmt::join(info.outcomes, ", "), fmt::join(current, ", "))}});

    JournalIndex index(header_of(info));
    for (const auto& d : dirs) index.scan(d / "journal");
    for (const auto& d : dirs) report_index(index, d / "journal");
    if (index.done_count() != info.plans) {
        std::uint64_t first = 0;
        while (first < info.plans && index.done(first)) ++first;
        const auto reps = static_cast<std::uint64_t>(info.replications);
        throw InputError(std::vector<Problem>{Problem{
            dirs[0].string(), 0, 0, {},
            fmt::format("{} of {} plans have no result in the folders given (the first is plan {}: "
                        "point {}, replication {}). Run the missing shards (resurgence sweep FILE "
                        "--shard i/N), or rerun an interrupted one, then merge again",
                        info.plans - index.done_count(), info.plans, first, first / reps, first % reps)}});
    }
    MergeReport rep;
    rep.dir = out.empty() ? dirs[0] : out;
    std::error_code ec;
    fs::create_directories(rep.dir, ec);
    if (ec) throw RuntimeFailure(fmt::format("cannot create {}: {}", rep.dir.string(), ec.message()));
    if (!fs::equivalent(rep.dir, dirs[0], ec)) {
        for (const char* f : {"design.csv", "sweep.json"}) {
            std::ifstream in(dirs[0] / f, std::ios::binary);
            std::ostringstream ss;
            ss << in.rdbuf();
            write_file_atomic(rep.dir / f, ss.str());
        }
    }
    rep.plans = info.plans;
    rep.duplicates = index.duplicates();
    rep.conflicts = index.conflicts();
    rep.failed = write_outputs(dirs[0] / "design.csv", info, index, rep.dir);
    return rep;
}

}  // namespace resurgence::sweep
