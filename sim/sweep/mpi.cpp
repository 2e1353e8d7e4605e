#include "resurgence/sweep/mpi.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "resurgence/core/error.hpp"

#if RESURGENCE_HAVE_MPI
#include <mpi.h>
#endif

namespace resurgence::sweep::mpi {

bool compiled() noexcept {
#if RESURGENCE_HAVE_MPI
    return true;
#else
    return false;
#endif
}

bool launched() noexcept {
    if (const char* v = std::getenv("RESURGENCE_MPI")) {
        if (std::strcmp(v, "off") == 0 || std::strcmp(v, "0") == 0) return false;
        if (std::strcmp(v, "on") == 0 || std::strcmp(v, "1") == 0) return true;
    }
    return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMI_SIZE") != nullptr ||
           std::getenv("PMIX_RANK") != nullptr;
}

namespace {
// Errors travel as text: a kind letter, then problems separated by \x1e with fields by \x1f.
[[maybe_unused]] std::string encode_error(std::exception_ptr e) {
    try {
        std::rethrow_exception(e);
    } catch (const InputError& ie) {
        std::string s = "I";
        for (const auto& p : ie.problems())
            s += p.file + '\x1f' + std::to_string(p.line) + '\x1f' + std::to_string(p.column) + '\x1f' +
                 p.path + '\x1f' + p.message + '\x1e';
        return s;
    } catch (const std::exception& ex) {
        return std::string("R") + ex.what();
    } catch (...) {
        return "Runknown error";
    }
}

[[maybe_unused]] std::exception_ptr decode_error(const std::string& s, int from) {
    if (!s.empty() && s[0] == 'I') {
        std::vector<Problem> problems;
        std::size_t i = 1;
        while (i < s.size()) {
            const std::size_t end = s.find('\x1e', i);
            const std::string rec = s.substr(i, end - i);
            std::vector<std::string> f;
            std::size_t a = 0;
            for (;;) {
                const std::size_t b = rec.find('\x1f', a);
                f.push_back(rec.substr(a, b - a));
                if (b == std::string::npos) break;
                a = b + 1;
            }
            if (f.size() == 5) problems.push_back(Problem{f[0], std::atoi(f[1].c_str()), std::atoi(f[2].c_str()), f[3], f[4]});
            if (end == std::string::npos) break;
            i = end + 1;
        }
        return std::make_exception_ptr(InputError(std::move(problems)));
    }
    return std::make_exception_ptr(
        RuntimeFailure(fmt::format("rank {}: {}", from, s.empty() ? std::string("?") : s.substr(1))));
}
}  // namespace

#if RESURGENCE_HAVE_MPI

namespace {
constexpr int kReady = 1, kResult = 2, kError = 3, kPlan = 4, kStop = 5;

std::string receive_text(const MPI_Status& st) {
    int count = 0;
    MPI_Get_count(&st, MPI_CHAR, &count);
    std::string s(static_cast<std::size_t>(count), '\0');
    MPI_Recv(s.data(), count, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return s;
}
}  // namespace

Session::Session() {
    if (!launched()) return;
    int initialised = 0;
    MPI_Initialized(&initialised);
    if (initialised == 0) {
        int provided = 0;
        MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    active_ = true;
}

Session::~Session() {
    if (!active_) return;
    int finalised = 0;
    MPI_Finalized(&finalised);
    if (finalised == 0) MPI_Finalize();
}

void Session::barrier() const {
    if (active_) MPI_Barrier(MPI_COMM_WORLD);
}

Session::Agreement Session::agree(bool ok) const {
    if (!active_) return {ok, ok};
    int mine[2] = {ok ? 1 : 0, (rank_ != 0 || ok) ? 1 : 0};
    int all[2] = {0, 0};
    MPI_Allreduce(mine, all, 2, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return {all[0] == 1, all[1] == 1};
}

void Session::coordinate(const std::vector<std::uint64_t>& todo,
                         const std::function<void(std::string&& line)>& on_line) const {
    std::size_t next = 0;
    int running = size_ - 1;  // workers not yet stopped
    std::exception_ptr error;
    auto idle = std::chrono::microseconds(50);
    while (running > 0) {
        // Poll and sleep rather than block: a blocking receive spins a core in most MPI builds,
        // and rank 0 shares its machine with workers.
        int flag = 0;
        MPI_Status st;
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
        if (flag == 0) {
            std::this_thread::sleep_for(idle);
            idle = std::min(idle * 2, std::chrono::microseconds(2000));
            continue;
        }
        idle = std::chrono::microseconds(50);
        std::string text = receive_text(st);
        if (st.MPI_TAG == kResult && !error) {
            try {
                on_line(std::move(text));
            } catch (...) {
                error = std::current_exception();
            }
        } else if (st.MPI_TAG == kError && !error) {
            error = decode_error(text, st.MPI_SOURCE);
        }
        if (!error && next < todo.size()) {
            const std::uint64_t plan = todo[next++];
            MPI_Send(&plan, 1, MPI_UINT64_T, st.MPI_SOURCE, kPlan, MPI_COMM_WORLD);
        } else {
            MPI_Send(nullptr, 0, MPI_UINT64_T, st.MPI_SOURCE, kStop, MPI_COMM_WORLD);
            --running;
        }
    }
    if (error) std::rethrow_exception(error);
}

void Session::work(const std::function<std::string(std::uint64_t plan)>& run_plan) const {
    MPI_Send(nullptr, 0, MPI_CHAR, 0, kReady, MPI_COMM_WORLD);
    for (;;) {
        MPI_Status st;
        std::uint64_t plan = 0;
        MPI_Recv(&plan, 1, MPI_UINT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
        if (st.MPI_TAG == kStop) return;
        std::string out;
        int tag = kResult;
        try {
            out = run_plan(plan);
        } catch (...) {
            out = encode_error(std::current_exception());
            tag = kError;
        }
        MPI_Send(out.data(), static_cast<int>(out.size()), MPI_CHAR, 0, tag, MPI_COMM_WORLD);
    }
}

#else  // no MPI in this build: a session is always a single process

Session::Session() {
    if (launched())
        spdlog::warn("started by an MPI launcher, but this build has no MPI support: every rank "
                     "runs the whole sweep on its own (rebuild with libopenmpi-dev installed)");
}
Session::~Session() = default;
Session::Agreement Session::agree(bool ok) const { return {ok, ok}; }
void Session::barrier() const {}
void Session::coordinate(const std::vector<std::uint64_t>&,
                         const std::function<void(std::string&&)>&) const {}
void Session::work(const std::function<std::string(std::uint64_t)>&) const {}

#endif

}  // namespace resurgence::sweep::mpi
