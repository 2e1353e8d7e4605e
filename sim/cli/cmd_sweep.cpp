// `resurgence sweep FILE [-j N] [-o DIR] [--shard i/N] [--dry-run] [--no-plots]`; under mpirun / mpiexec,
// rank 0 hands out the plans and writes, the other ranks run them (docs/sweeps.md).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <optional>

#include "command_registry.hpp"
#include "resurgence/cli/cli.hpp"
#include "resurgence/core/error.hpp"
#include "resurgence/sweep/executor.hpp"

namespace resurgence::cli {

namespace {

void print_plans(const sweep::Sweep& sw, const sweep::Shard& shard, const std::string& out) {
    const auto& s = sw.spec();
    std::printf("# sweep %s: %s design, %llu points x %d replications = %llu plans\n", s.name.c_str(),
                sweep::name_of(s.design), static_cast<unsigned long long>(sw.points()), s.replications,
                static_cast<unsigned long long>(sw.plans()));
    std::printf("# base %s (%s, hash %s); fingerprint %s\n", s.base_path.string().c_str(),
                sw.base().name.c_str(), sw.base().file_hash.c_str(), sw.fingerprint().c_str());
    std::printf("# seed %llu, %s\n", static_cast<unsigned long long>(s.seed),
                s.common_random_numbers ? "common random numbers: every point runs with this seed"
                                        : "independent: each point runs with its own seed");
    if (!s.overrides.empty()) {
        std::printf("# every run:");
        for (const auto& ov : s.overrides) std::printf(" %s", ov.c_str());
        std::printf("\n");
    }
    if (shard.count > 1) std::printf("# shard %d/%d: points p with p %% %d == %d\n", shard.index + 1,
                                     shard.count, shard.count, shard.index);
    std::printf("# output %s\n", out.c_str());
    std::printf("plan,point,replication,seed,overrides\n");
    std::string line;
    for (std::uint64_t i = 0; i < sw.plans(); ++i) {
        const sweep::Plan p = sw.plan(i);
        if (!shard.owns(p.point)) continue;
        line = fmt::format("{},{},{},{},", p.index, p.point, p.replication, p.seed);
        for (std::size_t k = 0; k < s.parameters.size(); ++k)
            line += fmt::format("{}{}={}", k ? " " : "", s.parameters[k].name, sw.value_text(p.point, k));
        line += '\n';
        std::fwrite(line.data(), 1, line.size(), stdout);
    }
}

}  // namespace

Command sweep_command() {
    return {"sweep",
            "Run a sweep file's design points x replications: resumable, on every core (-j), in "
            "shards (--shard) or across MPI ranks (mpirun)",
            [](CLI::App& app, const Globals& g) -> std::function<int()> {
                struct Opts {
                    std::string file;
                    int threads = 0;
                    std::string out;
                    std::string shard;
                    bool dry_run = false;
                    bool no_plots = false;
                };
                auto o = std::make_shared<Opts>();
                app.add_option("file", o->file, "Sweep YAML file (docs/sweeps.md)")->required();
                app.add_option("-j,--threads", o->threads, "Worker threads (0 = all cores)")
                    ->check(CLI::Range(0, 4096));
                app.add_option("-o,--out", o->out,
                               "Sweep folder (default: the file's output, else results/sweeps/NAME)");
                app.add_option("--shard", o->shard,
                               "Run only slice i of N (1 <= i <= N): the points p with p mod N = i-1");
                app.add_flag("--dry-run", o->dry_run,
                             "Check the file and list the run plans (plan, point, replication, "
                             "seed, overrides) without running them");
                app.add_flag("--no-plots", o->no_plots,
                             "Do not render the sweep's plots and report.html when it completes");
                return [o, g] {
                    sweep::mpi::Session session;
                    const bool distributed = session.active() && session.size() > 1;
                    std::optional<sweep::Sweep> sw;
                    sweep::Shard shard;
                    std::exception_ptr error;
                    try {
                        if (!o->shard.empty()) shard = sweep::parse_shard(o->shard);
                        sw.emplace(sweep::Sweep::load(o->file));
                    } catch (...) {
                        error = std::current_exception();
                    }
                    const auto agreed = session.agree(!error);
                    if (!agreed.all) {
                        // Rank 0 reports the problem, and so does a rank whose problem rank 0
                        // does not share; the others exit quietly. The messages are printed
                        // before any rank leaves: the launcher tears the job down as soon as
                        // one rank exits non-zero, and a message still to be printed is lost.
                        int code = kExitBadInput;
                        if (session.rank() == 0 && !error)
                            code = report_error(std::make_exception_ptr(RuntimeFailure(
                                "another MPI rank could not read the sweep (see its messages)")));
                        else if (session.rank() == 0 || (error && agreed.root))
                            code = report_error(error);
                        spdlog::default_logger()->flush();
                        std::fflush(stderr);
                        session.barrier();
                        return code;
                    }
                    const std::filesystem::path out =
                        o->out.empty() ? sweep::default_output_dir(*sw) : std::filesystem::path(o->out);
                    if (o->dry_run) {
                        if (session.rank() == 0) print_plans(*sw, shard, out.string());
                        return kExitOk;
                    }
                    if (distributed && session.rank() > 0) {
                        sweep::serve_sweep(*sw, session);
                        return kExitOk;
                    }
                    if (distributed)
                        spdlog::info("MPI: {} ranks; rank 0 hands out plans and writes, ranks 1-{} run "
                                     "them one at a time{}",
                                     session.size(), session.size() - 1,
                                     o->threads != 0 ? " (-j is ignored under MPI)" : "");
                    sweep::SweepOptions so;
                    so.out_dir = out;
                    so.threads = o->threads;
                    so.shard = shard;
                    so.mpi = &session;
                    ProgressLine progress("plans", *g.quiet);
                    so.progress = [&progress](long done, long total) { progress.update(done, total); };
                    const sweep::SweepReport rep = sweep::run_sweep(*sw, so);
                    if (rep.failed > 0)
                        spdlog::warn("{} plan{} failed and {} recorded in {}", rep.failed,
                                     rep.failed == 1 ? "" : "s", rep.failed == 1 ? "is" : "are",
                                     (rep.dir / "failures.csv").string());
                    if (rep.complete) {
                        spdlog::info("wrote {} ({} plans; {} run now, {} done before; {:.2f} s)",
                                     rep.dir.string(), rep.plans, rep.ran, rep.skipped, rep.seconds);
                        if (!o->no_plots) render_plots(rep.dir.string(), *g.quiet);
                    } else {
                        spdlog::info("{}: {} of {} plans have results ({} run now, {:.2f} s). Outputs are "
                                     "written once every plan has one: run the other shards into this "
                                     "folder, or `resurgence merge` the shards' folders",
                                     rep.dir.string(), rep.done, rep.plans, rep.ran, rep.seconds);
                    }
                    return kExitOk;
                };
            }};
}

}  // namespace resurgence::cli
