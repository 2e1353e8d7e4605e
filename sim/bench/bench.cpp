// `resurgence bench`: fixed workloads, timed (median of repeats), with peak memory.
// docs/performance.md holds the measured table and the profile of each workload.
#include "resurgence/bench/bench.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <array>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include "resurgence/core/error.hpp"
#include "resurgence/core/huge_pages.hpp"
#include "resurgence/core/rng.hpp"
#include "resurgence/model/grid.hpp"
#include "resurgence/model/simulation.hpp"
#include "resurgence/scenario/loader.hpp"
#include "resurgence/sweep/executor.hpp"
#include "resurgence/sweep/sweep.hpp"
#include "workloads.hpp"

namespace resurgence::bench {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID) or of the process: on a shared
// machine the wall clock also counts the time other processes held the core.
double cpu_seconds(clockid_t clock) {
    timespec ts{};
    ::clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// ---- the core ------------------------------------------------------------------------------

// A probe of the core the calling thread runs on, taken before and after each timed run (a
// fraction of a millisecond; registers only, so it leaves the caches alone). Two loops of adds
// of a register to a register:
//  - one dependent chain: each add waits for the last, one cycle each, so adds per ns is the
//    core's clock in GHz;
//  - four independent chains: adds per ns as fast as the core issues them. This one falls when
//    another hardware thread shares the physical core (SMT, invisible inside a virtual machine)
//    while the clock does not (docs/performance.md, "7 December 2026, day").
// Register operands, not immediates: Intel's cores from Golden Cove on fold chains of adds of an
// immediate at rename, several a cycle (the Xeon of 7 December 2026, night, read 11.96 "GHz"
// and 15.1 adds a ns that way; 2.97-2.99 GHz and 3.5 adds a cycle with register operands, the
// same as an imul chain gives: docs/performance.md). On x86-64 the loops are written in assembly
// so that no register copy the compiler might add (a mov between two adds of one chain) can
// lengthen a chain; elsewhere the same loops in C++.
// The best of two tries each: an interruption only makes a try slower.
struct CoreSample {
    double clock_ghz = 0;
    double alu_per_ns = 0;
};
std::atomic<double> best_clock_seen{0.0};  // the highest clock any probe of this process read

constexpr std::uint64_t kDependentAdds = 1u << 18, kIndependentAdds = 1u << 19;

// kDependentAdds adds in one chain; returns the sum (kDependentAdds) so that it is used.
[[gnu::noinline]] std::uint64_t dependent_adds() {
    std::uint64_t x = 0, one = 1, rounds = kDependentAdds / 4;
#if defined(__x86_64__)
    asm volatile(
        "1:\n\t"
        "add %[one], %[x]\n\t"
        "add %[one], %[x]\n\t"
        "add %[one], %[x]\n\t"
        "add %[one], %[x]\n\t"
        "sub $1, %[rounds]\n\t"
        "jnz 1b"
        : [x] "+r"(x), [rounds] "+r"(rounds)
        : [one] "r"(one)
        : "cc");
#else
    asm volatile("" : "+r"(one));  // not a constant the compiler could fold
    for (; rounds > 0; --rounds) {
        for (int k = 0; k < 4; ++k) {
            x += one;
            asm volatile("" : "+r"(x));
        }
    }
#endif
    return x;
}

// kIndependentAdds adds in four chains, 16 to a round; returns their sum.
[[gnu::noinline]] std::uint64_t independent_adds() {
    std::uint64_t a = 0, b = 0, c = 0, d = 0, one = 1, rounds = kIndependentAdds / 16;
#if defined(__x86_64__)
    asm volatile(
        "1:\n\t"
        ".rept 4\n\t"
        "add %[one], %[a]\n\t"
        "add %[one], %[b]\n\t"
        "add %[one], %[c]\n\t"
        "add %[one], %[d]\n\t"
        ".endr\n\t"
        "sub $1, %[rounds]\n\t"
        "jnz 1b"
        : [a] "+r"(a), [b] "+r"(b), [c] "+r"(c), [d] "+r"(d), [rounds] "+r"(rounds)
        : [one] "r"(one)
        : "cc");
#else
    asm volatile("" : "+r"(one));
    for (; rounds > 0; --rounds) {
        for (int k = 0; k < 4; ++k) {
            a += one;
            b += one;
            c += one;
            d += one;
            asm volatile("" : "+r"(a), "+r"(b), "+r"(c), "+r"(d));
        }
    }
#endif
    return a + b + c + d;
}

CoreSample probe_core() {
    CoreSample best;
    for (int t = 0; t < 2; ++t) {
        auto t0 = Clock::now();
        std::uint64_t sum = dependent_adds();
        double ns = std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
        if (ns > 0 && sum == kDependentAdds)
            best.clock_ghz = std::max(best.clock_ghz, static_cast<double>(kDependentAdds) / ns);
        // The process's best: a core shared for a whole workload slows the chain a little too.
        double seen = best_clock_seen.load(std::memory_order_relaxed);
        while (best.clock_ghz > seen && !best_clock_seen.compare_exchange_weak(seen, best.clock_ghz)) {
        }
        t0 = Clock::now();
        sum = independent_adds();
        ns = std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
        if (ns > 0 && sum == kIndependentAdds)
            best.alu_per_ns = std::max(best.alu_per_ns, static_cast<double>(kIndependentAdds) / ns);
    }
    return best;
}

// A run's probe: the lower of the probes before and after it (the core's sharing changes
// within a second, so a run is counted unshared only when it began and ended so).
CoreSample worse(CoreSample a, CoreSample b) {
    return {std::min(a.clock_ghz, b.clock_ghz), std::min(a.alu_per_ns, b.alu_per_ns)};
}


// The times of a workload's runs, and when to stop: at least `repeats` runs, then more until the
// timed parts add up to min_seconds (at most kMaxRepeats runs).
class Runs {
public:
    explicit Runs(const Options& o) : options_(o) {}
    [[nodiscard]] bool due() const {
        const auto done = static_cast<int>(loop_.size());
        return done < options_.repeats || (done < kMaxRepeats && timed_ < options_.min_seconds);
    }
    void add(double setup, double loop, double cpu, CoreSample core) {
        setup_.push_back(setup);
        loop_.push_back(loop);
        cpu_.push_back(cpu);
        clock_.push_back(core.clock_ghz);
        alu_.push_back(core.alu_per_ns);
        timed_ += loop;
    }
    // The runs made, the medians and the extremes of the timed part, the median setup.
    void summarise(Result& r) const {
        r.repeats = static_cast<int>(loop_.size());
        r.cpu_seconds = median(cpu_);
        r.seconds = median(loop_);
        r.seconds_min = *std::min_element(loop_.begin(), loop_.end());
        r.seconds_max = *std::max_element(loop_.begin(), loop_.end());
        r.setup_seconds = median(setup_);
        r.clock_ghz = std::max(*std::max_element(clock_.begin(), clock_.end()),
                               best_clock_seen.load(std::memory_order_relaxed));
        r.alu_per_ns = median(alu_);
        r.alu_per_ns_min = *std::min_element(alu_.begin(), alu_.end());
        r.alu_per_ns_max = *std::max_element(alu_.begin(), alu_.end());
        // The runs whose probe had the core's issue width to itself.
        std::vector<double> unshared;
        for (std::size_t i = 0; i < loop_.size(); ++i)
            if (alu_[i] >= kUnsharedAddsPerCycle * r.clock_ghz) unshared.push_back(loop_[i]);
        r.unshared_runs = static_cast<int>(unshared.size());
        r.seconds_unshared = median(unshared);
        r.per_run.clear();
        for (std::size_t i = 0; i < loop_.size(); ++i)
            r.per_run.push_back({loop_[i], cpu_[i], clock_[i], alu_[i]});
    }

private:
    const Options& options_;
    std::vector<double> setup_, loop_, cpu_, clock_, alu_;
    double timed_ = 0;
};

// ---- memory ---------------------------------------------------------------------------------

// A field of /proc/self/status in KiB ("VmRSS:", "VmHWM:"), or nullopt.
std::optional<long> status_kib(const std::string& key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.compare(0, key.size(), key) != 0) continue;
        std::istringstream fields(line.substr(key.size()));
        long kib = 0;
        if (fields >> kib) return kib;
    }
    return std::nullopt;
}

long maxrss_kib() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;  // KiB on Linux
}

// Peak resident memory of one workload. Writing 5 to /proc/self/clear_refs resets the
// high-water mark VmHWM to the current resident set (Linux >= 4.0), so VmHWM afterwards minus
// VmRSS before is this workload's own peak growth. Without that, ru_maxrss is the process's
// peak since it started.
class MemoryProbe {
public:
    MemoryProbe() {
        std::ofstream clear("/proc/self/clear_refs");
        clear << "5";
        clear.flush();
        const auto rss = status_kib("VmRSS:");
        const auto hwm = status_kib("VmHWM:");
        // The reset took when the mark is back at (about) the current resident set.
        reset_ = clear.good() && rss && hwm && *hwm <= *rss + 64;
        base_kib_ = rss.value_or(0);
    }
    [[nodiscard]] double peak_mib() const {
        if (reset_) {
            const long hwm = status_kib("VmHWM:").value_or(base_kib_);
            return static_cast<double>(std::max(0L, hwm - base_kib_)) / 1024.0;
        }
        return static_cast<double>(maxrss_kib()) / 1024.0;
    }
    [[nodiscard]] std::string source() const {
        return reset_ ? "VmHWM delta" : "ru_maxrss (process peak)";
    }

private:
    bool reset_ = false;
    long base_kib_ = 0;
};

double load_average() {
    std::ifstream in("/proc/loadavg");
    double one = -1;
    if (!(in >> one)) return -1;
    return one;
}

// ---- workloads ------------------------------------------------------------------------------

struct Request {
    std::string name;
    const Options& options;
};

// Agents stepped each day: civilian agents, cops on grids, fighters.
std::int64_t agents_of(const SimState& s) {
    std::int64_t n = s.civilians.total_agents() + static_cast<std::int64_t>(s.fighters.size());
    for (std::size_t r = 0; r < s.spec.regions.size(); ++r) n += s.civilians.cops(static_cast<int>(r));
    return n;
}

// The medians of a one-thread workload's runs (agents and steps set) and what follows from
// them: the rates, cycles an agent-step, runs a second counting setup, the peak memory.
void summarise_single(const Runs& runs, const MemoryProbe& memory, Result& r) {
    runs.summarise(r);
    const double agent_steps = static_cast<double>(r.agents) * static_cast<double>(r.steps);
    if (r.seconds > 0) r.agent_steps_per_second = agent_steps / r.seconds;
    if (r.seconds_unshared > 0) r.agent_steps_per_second_unshared = agent_steps / r.seconds_unshared;
    if (agent_steps > 0) r.cycles_per_agent_step = r.cpu_seconds * r.clock_ghz * 1e9 / agent_steps;
    if (r.seconds + r.setup_seconds > 0) r.runs_per_second = 1.0 / (r.seconds + r.setup_seconds);
    r.peak_mib = memory.peak_mib();
    r.memory = memory.source();
    if (r.agents > 0) r.bytes_per_agent = r.peak_mib * 1048576.0 / static_cast<double>(r.agents);
}

// Runs `spec` (replication 0) from a fresh state as often as Runs asks: setup (the
// Simulation's constructor) and the daily loop timed apart.
Result time_simulation(const std::string& name, const ScenarioSpec& spec, const Options& o) {
    Result r;
    r.workload = name;
    r.scenario = spec.name;
    r.steps = spec.horizon_days;
    r.load_average = load_average();
    const MemoryProbe memory;
    const ColumnLayout layout(spec.countries);
    Runs runs(o);
    while (runs.due()) {
        const auto t0 = Clock::now();
        Simulation sim(spec, layout, 0);
        const double setup = since(t0);
        r.agents = agents_of(sim.state());
        const CoreSample core = probe_core();
        const double c1 = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
        const auto t1 = Clock::now();
        for (int d = 0; d < spec.horizon_days; ++d) sim.step();
        const double loop = since(t1);
        const double cpu = cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - c1;
        runs.add(setup, loop, cpu, worse(core, probe_core()));
    }
    summarise_single(runs, memory, r);
    return r;
}

// Scenario text built in code; the bench turns the engine's daily checks off (they are a
// verification tool: docs/performance.md gives their cost).
ScenarioSpec from_text(const std::string& text, const std::string& name) {
    LoadOptions lo;
    lo.overrides = {"checks=false"};
    return load_scenario_text(text, "<bench " + name + ">", lo);
}

Result epstein(const Request& q, int side, int steps) {
    if (q.options.tiny) {
        side = std::max(20, side / 5);
        steps = 20;
    }
    return time_simulation(q.name, from_text(detail::epstein_mesa_text(side, side, steps), q.name),
                           q.options);
}

Result civilians_mixed(const Request& q, std::int64_t agents, int days) {
    if (q.options.tiny) {
        agents = std::max<std::int64_t>(1000, agents / 1000);
        days = std::min(days, 10);
    }
    return time_simulation(q.name, from_text(detail::civilians_mixed_text(agents, days), q.name),
                           q.options);
}

Result theatre(const Request& q, bool full_scale) {
    const detail::TheatreFile file = detail::find_theatre(q.options.scenarios_dir);
    if (file.path.empty()) {
        Result r;
        r.workload = q.name;
        r.note = "skipped: neither scenarios/baseline_2019.yaml nor "
                 "scenarios/examples/iraq_syria_cells.yaml found (--scenarios DIR)";
        return r;
    }
    LoadOptions lo;
    lo.overrides = {"checks=false"};
    // One civilian agent per person: the theatre's population as agents.
    if (full_scale) lo.overrides.emplace_back(q.options.tiny ? "civilians.scale=100" : "civilians.scale=1");
    if (q.options.tiny) lo.overrides.emplace_back("horizon_days=5");
    const ScenarioSpec spec = load_scenario(file.path.string(), lo);
    Result r = time_simulation(q.name, spec, q.options);
    r.scenario = file.path.string();
    if (file.fallback)
        r.note = "scenarios/baseline_2019.yaml not found: ran " + file.path.filename().string();
    return r;
}

// A small sweep on all cores through the real machinery (plans, thread pool, journal, CSVs) in
// a temporary folder.
Result sweep(const Request& q) {
    namespace fs = std::filesystem;
    const Options& o = q.options;
    const int days = o.tiny ? 20 : 200;
    const int points = o.tiny ? 4 : 32;
    const fs::path dir =
        fs::temp_directory_path() / fmt::format("resurgence-bench-{}", static_cast<long>(::getpid()));
    struct Cleanup {
        fs::path dir;
        ~Cleanup() {
            std::error_code ec;
            fs::remove_all(dir, ec);
        }
    } cleanup{dir};
    fs::create_directories(dir);
    {
        std::ofstream(dir / "base.yaml") << detail::sweep_base_text(days);
        std::ofstream(dir / "sweep.yaml") << detail::sweep_text("base.yaml", points);
    }
    Result r;
    r.workload = q.name;
    r.scenario = "epstein reference 40x40 lhs";
    r.steps = days;
    r.load_average = load_average();
    const MemoryProbe memory;
    Runs runs(o);
    while (runs.due()) {
        fs::remove_all(dir / "out");
        const auto t0 = Clock::now();
        const sweep::Sweep s = sweep::Sweep::load((dir / "sweep.yaml").string());
        const double setup = since(t0);
        sweep::SweepOptions so;
        so.out_dir = dir / "out";
        so.threads = o.sweep_threads;
        const CoreSample core = probe_core();
        const double c1 = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
        const auto t1 = Clock::now();
        const sweep::SweepReport report = sweep::run_sweep(s, so);
        const double loop = since(t1);
        const double cpu = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - c1;
        runs.add(setup, loop, cpu, worse(core, probe_core()));
        r.runs = static_cast<std::int64_t>(report.ran);
        r.threads = report.workers;
    }
    runs.summarise(r);
    r.agents = 1120 + 64;  // the reference grid's citizens and cops
    if (r.seconds > 0) {
        r.runs_per_second = static_cast<double>(r.runs) / r.seconds;
        r.agent_steps_per_second = static_cast<double>(r.runs * r.agents * r.steps) / r.seconds;
    }
    if (r.seconds_unshared > 0)
        r.agent_steps_per_second_unshared = static_cast<double>(r.runs * r.agents * r.steps) / r.seconds_unshared;
    r.peak_mib = memory.peak_mib();
    r.memory = memory.source();
    r.bytes_per_agent = r.peak_mib * 1048576.0 / static_cast<double>(r.agents);
    r.note = fmt::format("{} runs of {} days on {} threads", r.runs, days, r.threads);
    return r;
}

// The scaling series: the same model at 10^3 … 10^7 agents; the grid for the same 20 days at
// every size, the mixed region for days chosen so that each repeat does a comparable amount of
// work (its day is the same scans whatever the day). blocks_*: the Mesa grid activated by blocks of
// the default side (civilians.activation: blocks).
//
// The growth series takes the grid apart at the same sides (so the same arrays) and for the
// same days: grid_still_* has only citizens, none of them ever active (legitimacy 1), none
// moving: what is left is the daily shuffle and each agent's own columns; grid_walk_* adds
// rule M; grid_patrol_* adds the cops (who move, and find no one to arrest); grid_* adds
// Mesa's legitimacy 0.8: actives, rule A's reads of the in-view counts, the arrests. The
// differences between them, size for size, are what each part costs and how it grows.
const int kScalingBlock = CivilianSpec{}.activation_block;
constexpr int kScalingGridSteps = 20;
struct GrowthKind {
    const char* prefix;  // the workloads are prefix_1e3 … prefix_1e7
    detail::MesaParts parts;
    const char* note;
};
constexpr GrowthKind kGrowthKinds[] = {
    {"grid_still", {.cops = false, .actives = false, .movement = false},
     "citizens only, none active (L 1), none moving"},
    {"grid_walk", {.cops = false, .actives = false, .movement = true},
     "citizens only, none active (L 1), moving"},
    {"grid_patrol", {.cops = true, .actives = false, .movement = true},
     "citizens (none active: L 1) and cops, moving"},
};
// The growth kind a workload belongs to; nullptr for the scaling series' own workloads.
const GrowthKind* growth_kind(const std::string& name) {
    for (const GrowthKind& k : kGrowthKinds)
        if (name.rfind(k.prefix, 0) == 0) return &k;
    return nullptr;
}
Result scaling(const Request& q) {
    const bool blocks = q.name.rfind("blocks_", 0) == 0;
    const bool grid = blocks || q.name.rfind("grid_", 0) == 0;
    const GrowthKind* kind = growth_kind(q.name);
    const detail::MesaParts parts = kind ? kind->parts : detail::MesaParts{};
    const int exponent = q.name.back() - '0';
    auto agents = static_cast<std::int64_t>(std::llround(std::pow(10.0, exponent)));
    if (q.options.tiny) agents = std::max<std::int64_t>(100, agents / 1000);
    if (grid) {
        const int side = detail::epstein_mesa_side(agents);
        // The same 20 days at every size, so that each size measures the same stretch of the
        // dynamics (jailed citizens, a fifth of them by day 1,000, act at almost no cost).
        int steps = kScalingGridSteps;
        if (q.options.tiny) steps = 5;
        Result r = time_simulation(
            q.name,
            from_text(
                detail::epstein_mesa_text(side, side, steps, blocks ? kScalingBlock : 0, parts),
                q.name),
            q.options);
        if (kind) r.note = kind->note;
        return r;
    }
    int days = static_cast<int>(std::clamp<std::int64_t>(300'000'000 / agents, 100, 10000));
    if (q.options.tiny) days = 5;
    return time_simulation(q.name, from_text(detail::civilians_mixed_text(agents, days), q.name),
                           q.options);
}

// The memory pair: what a random access costs on this machine, to read the scaling series
// beyond the caches by (docs/performance.md, "Cost against the number of agents"). A buffer of
// 64-byte lines (256 MiB: beyond the last-level cache share the virtual machines of this
// class have been seen to get, whatever their processor's L3; --tiny: 1 MiB), on huge pages
// as the engine's large columns are (from 4 MiB), its lines linked into one cycle in a
// uniformly random order (a fixed seed). A run follows the whole cycle once, so an "agent" is
// a line and an "agent-step" a load:
//  - memory_latency: one walker; each load's address is the last load's value, so one load is
//    in flight at a time: ns an agent-step is the latency of a dependent random load;
//  - memory_parallel: kWalkers walkers on evenly spaced stretches of the cycle, advanced in
//    lockstep: up to kWalkers loads in flight, as many as the core's line-fill buffers allow:
//    ns an agent-step is the cost of a random line to a loop whose loads do not wait for one
//    another (what prefetching ahead can reach at best). 32 walkers: on the Xeon of
//    7 December 2026, night, 8 gave 17.6 ns a line, 16 10.8, 32 9.6 and 64 10.0.
// Setup (linking the cycle, once for all runs) is timed apart, as the simulations' is, and
// counted in every run's runs_per_second as theirs is.
struct alignas(64) Line {
    std::uint64_t next;  // index of the next line of the cycle
    std::uint64_t pad[7];
};
constexpr std::size_t kWalkers = 32;

Result memory(const Request& q, bool parallel) {
    Result r;
    r.workload = q.name;
    r.scenario = "random cycle of 64-byte lines";
    r.steps = 1;
    r.load_average = load_average();
    const MemoryProbe probe;
    const std::size_t lines = (q.options.tiny ? std::size_t{1} << 20 : std::size_t{256} << 20) / sizeof(Line);
    r.agents = static_cast<std::int64_t>(lines);
    std::vector<Line> buffer;
    std::array<std::uint64_t, kWalkers> starts{};
    double setup = 0;
    {
        const auto t0 = Clock::now();
        reserve_on_huge_pages(buffer, lines);
        buffer.resize(lines);
        std::vector<std::uint32_t> order(lines);
        for (std::size_t i = 0; i < lines; ++i) order[i] = static_cast<std::uint32_t>(i);
        Rng rng(20261207);
        shuffle_order(order, rng, /*ahead=*/true);  // the daily loop's shuffle
        for (std::size_t i = 0; i < lines; ++i) buffer[order[i]].next = order[(i + 1) % lines];
        for (std::size_t w = 0; w < kWalkers; ++w) starts[w] = order[w * (lines / kWalkers)];
        setup = since(t0);
    }
    const Line* b = buffer.data();
    Runs runs(q.options);
    while (runs.due()) {
        const CoreSample core = probe_core();
        const double c1 = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
        const auto t1 = Clock::now();
        // Each walker must end where the next one began (the one walker: where it began).
        bool came_back = true;
        if (parallel) {
            std::array<std::uint64_t, kWalkers> at = starts;
            for (std::size_t k = 0; k < lines / kWalkers; ++k)
                for (std::size_t w = 0; w < kWalkers; ++w) at[w] = b[at[w]].next;
            for (std::size_t w = 0; w < kWalkers; ++w) came_back &= at[w] == starts[(w + 1) % kWalkers];
        } else {
            std::uint64_t at = starts[0];
            for (std::size_t k = 0; k < lines; ++k) at = b[at].next;
            came_back = at == starts[0];
        }
        const double loop = since(t1);
        const double cpu = cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - c1;
        // A check that the loads were made, and a use of them.
        if (!came_back)
            throw InvariantViolation(fmt::format("bench {}: a walk of the cycle did not end where it should", q.name));
        runs.add(setup, loop, cpu, worse(core, probe_core()));
    }
    summarise_single(runs, probe, r);  // a load an agent-step: lines (a power of two) x 1
    r.note = fmt::format("walkers: {}; {} MiB of 64-byte lines in one random cycle",
                         parallel ? kWalkers : 1, lines * sizeof(Line) >> 20);
    return r;
}

Result run_one(const Request& q) {
    const std::string& n = q.name;
    if (n == "epstein_40") return epstein(q, 40, 200);
    if (n == "epstein_200") return epstein(q, 200, 100);
    if (n == "civilians_mixed") return civilians_mixed(q, 10'000'000, 100);
    if (n == "theatre") return theatre(q, false);
    if (n == "theatre_full_scale") return theatre(q, true);
    if (n == "sweep") return sweep(q);
    if (n == "memory_latency") return memory(q, false);
    if (n == "memory_parallel") return memory(q, true);
    return scaling(q);
}

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (const char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20)
                    out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
                else
                    out += c;
        }
    }
    return out + "\"";
}

// A finite number as JSON (NaN and infinities have no JSON form: null).
std::string json_number(double v) {
    if (!std::isfinite(v)) return "null";
    return fmt::format("{:.6g}", v);
}

std::string human(double v) {
    if (v >= 1e9) return fmt::format("{:.2f} G", v / 1e9);
    if (v >= 1e6) return fmt::format("{:.2f} M", v / 1e6);
    if (v >= 1e3) return fmt::format("{:.1f} k", v / 1e3);
    return fmt::format("{:.2f}", v);
}

}  // namespace

std::vector<std::string> default_workloads() {
    return {"epstein_40", "epstein_200", "civilians_mixed", "theatre", "theatre_full_scale", "sweep"};
}

std::vector<std::string> scaling_workloads() {
    std::vector<std::string> v;
    for (const char* kind : {"grid", "blocks", "mixed"})
        for (int e = 3; e <= 7; ++e) v.push_back(fmt::format("{}_1e{}", kind, e));
    v.emplace_back("memory_latency");
    v.emplace_back("memory_parallel");
    return v;
}

std::vector<std::string> growth_workloads() {
    std::vector<std::string> v;
    for (const GrowthKind& k : kGrowthKinds)
        for (int e = 3; e <= 7; ++e) v.push_back(fmt::format("{}_1e{}", k.prefix, e));
    return v;
}

std::vector<std::string> workload_names(bool include_series) {
    auto v = default_workloads();
    if (include_series) {
        for (auto& s : scaling_workloads()) v.push_back(std::move(s));
        for (auto& s : growth_workloads()) v.push_back(std::move(s));
    }
    return v;
}

std::vector<Result> run(const Options& options, const std::function<void(const Result&)>& done) {
    if (options.repeats < 1 || options.repeats > kMaxRepeats)
        throw InputError(fmt::format("--repeats: {} is outside 1 … {}", options.repeats, kMaxRepeats));
    if (!(options.min_seconds >= 0) || !std::isfinite(options.min_seconds))
        throw InputError(fmt::format("--min-time: {} is not a number of seconds >= 0",
                                     options.min_seconds));
    const auto all = workload_names(true);
    std::vector<std::string> chosen;
    if (options.only.empty()) {
        chosen = default_workloads();
    } else {
        const auto asked = [&options](const std::string& n) {
            return std::find(options.only.begin(), options.only.end(), n) != options.only.end();
        };
        const auto in = [](const std::vector<std::string>& v, const std::string& n) {
            return std::find(v.begin(), v.end(), n) != v.end();
        };
        for (const auto& n : options.only) {
            if (n != "scaling" && n != "growth" && !in(all, n))
                throw InputError(
                    fmt::format("--only: unknown workload '{}' (known: {}, scaling, growth)", n,
                                fmt::join(all, ", ")));
        }
        // In the canonical order, each once; `scaling` and `growth` name their whole series.
        const auto scaling_names = scaling_workloads();
        const auto growth_names = growth_workloads();
        for (const auto& n : all) {
            const bool series = (asked("scaling") && in(scaling_names, n)) ||
                                (asked("growth") && in(growth_names, n));
            if (asked(n) || series) chosen.push_back(n);
        }
    }
    std::vector<Result> results;
    for (const auto& name : chosen) {
        results.push_back(run_one(Request{name, options}));
        if (done) done(results.back());
    }
    return results;
}

std::string to_json(const Result& r, bool per_run) {
    std::string s = "{";
    const auto field = [&s](const char* key, const std::string& value) {
        if (s.size() > 1) s += ",";
        s += json_string(key);
        s += ":";
        s += value;
    };
    field("workload", json_string(r.workload));
    field("scenario", json_string(r.scenario));
    field("agents", std::to_string(r.agents));
    field("steps", std::to_string(r.steps));
    field("runs", std::to_string(r.runs));
    field("repeats", std::to_string(r.repeats));
    field("threads", std::to_string(r.threads));
    field("seconds", json_number(r.seconds));
    field("seconds_min", json_number(r.seconds_min));
    field("seconds_max", json_number(r.seconds_max));
    field("cpu_seconds", json_number(r.cpu_seconds));
    field("setup_seconds", json_number(r.setup_seconds));
    field("agent_steps_per_second", json_number(r.agent_steps_per_second));
    field("runs_per_second", json_number(r.runs_per_second));
    field("peak_mib", json_number(r.peak_mib));
    field("bytes_per_agent", json_number(r.bytes_per_agent));
    field("memory", json_string(r.memory));
    field("load_average", json_number(r.load_average));
    field("clock_ghz", json_number(r.clock_ghz));
    field("alu_per_ns", json_number(r.alu_per_ns));
    field("alu_per_ns_min", json_number(r.alu_per_ns_min));
    field("alu_per_ns_max", json_number(r.alu_per_ns_max));
    field("cycles_per_agent_step", json_number(r.cycles_per_agent_step));
    field("unshared_runs", std::to_string(r.unshared_runs));
    field("seconds_unshared", json_number(r.seconds_unshared));
    field("agent_steps_per_second_unshared", json_number(r.agent_steps_per_second_unshared));
    field("note", json_string(r.note));
    if (per_run) {
        std::string runs = "[";
        for (const RunSample& x : r.per_run) {
            if (runs.size() > 1) runs += ",";
            runs += fmt::format(R"({{"seconds":{},"cpu_seconds":{},"clock_ghz":{},"alu_per_ns":{}}})",
                                json_number(x.seconds), json_number(x.cpu_seconds),
                                json_number(x.clock_ghz), json_number(x.alu_per_ns));
        }
        field("per_run", runs + "]");
    }
    return s + "}";
}

std::string table_header() {
    std::string h = fmt::format(
        "{:<20} {:>10} {:>6} {:>10} {:>10} {:>10} {:>14} {:>10} {:>9} {:>5} {:>5} {:>6} {:>7}  {}\n",
        "workload", "agents", "steps", "seconds", "cpu s", "setup s", "agent-steps/s", "peak MiB",
        "B/agent", "load", "GHz", "ALU/ns", "cycles", "note");
    h += std::string(h.size() - 1, '-') + "\n";
    return h;
}

std::string table_row(const Result& r) {
    std::string rate = human(r.agent_steps_per_second);
    std::string note = r.note;
    if (r.workload == "sweep") {
        note = fmt::format("{:.2f} runs/s; {}", r.runs_per_second, r.note);
    }
    const std::string cycles =
        std::isfinite(r.cycles_per_agent_step) ? fmt::format("{:.1f}", r.cycles_per_agent_step) : "-";
    return fmt::format(
        "{:<20} {:>10} {:>6} {:>10.4f} {:>10.4f} {:>10.4f} {:>14} {:>10.1f} {:>9.1f} {:>5.2f} {:>5.2f} "
        "{:>6.2f} {:>7}  {}\n",
        r.workload, r.agents, r.steps, r.seconds, r.cpu_seconds, r.setup_seconds, rate, r.peak_mib,
        r.bytes_per_agent, r.load_average, r.clock_ghz, r.alu_per_ns, cycles, note);
}

}  // namespace resurgence::bench
