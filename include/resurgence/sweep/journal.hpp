#pragma once
// The crash-safe record of finished run plans: SWEEP_DIR/journal/*.log.
//
// Each process that runs plans appends to a segment file of its own (created with O_EXCL, never
// reopened), one text line per finished plan:
//   <plan> <seed> ok <v1> ... <vm> *<crc32>          values in shortest round-trip form, nan = empty
//   <plan> <seed> fail <message> *<crc32>
// The CRC-32 covers the bytes before " *". Lines are written whole and fdatasync'ed in groups
// (group commit on a writer thread), so after a crash or SIGKILL a segment ends with complete,
// checked records and at most one torn line, which readers ignore. A plan counts as done when a
// valid record for it exists in any segment; duplicates (a plan run twice, e.g. by two
// overlapping shards) must agree and the first is used.
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace resurgence::sweep {

std::uint32_t crc32(std::string_view bytes) noexcept;

struct Record {
    std::uint64_t plan = 0;
    std::uint64_t seed = 0;
    bool ok = true;
    std::vector<double> values;  // ok: one per outcome (NaN = empty)
    std::string error;           // fail: the message (one line)
};

// One journal line, with its checksum and '\n'.
std::string format_record(const Record& r);
// Parses a line (without '\n'); nullopt when torn, corrupt or not `outcomes` values.
std::optional<Record> parse_record(std::string_view line, std::size_t outcomes);

// What a segment's first line says; checked against the sweep that reads it.
struct JournalHeader {
    std::string fingerprint;
    std::uint64_t plans = 0;
    std::size_t outcomes = 0;
    std::string version;  // of the binary that wrote the segment (provenance only)
};
std::string format_header(const JournalHeader& h);

// Appends records to a new segment in `journal_dir` named <tag>-<n>.log. Thread-safe; append()
// returns at once and a writer thread writes and syncs queued records in groups.
class JournalWriter {
public:
    JournalWriter(const std::filesystem::path& journal_dir, const std::string& tag,
                  const JournalHeader& header);
    ~JournalWriter();  // close() if not done; errors are dropped there
    JournalWriter(const JournalWriter&) = delete;
    JournalWriter& operator=(const JournalWriter&) = delete;

    // Throws RuntimeFailure if an earlier write failed (disk full...).
    void append(std::string line);
    // Writes and syncs everything queued, stops the writer thread, closes the file. Throws
    // RuntimeFailure on I/O errors.
    void close();
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

private:
    void run();
    std::filesystem::path path_;
    int fd_ = -1;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<std::string> queue_;
    bool closing_ = false;
    std::string error_;
    std::thread thread_;
};

// Where each plan's record is, over every segment of one or more journal folders. 16 bytes per
// plan; the records themselves stay on disk and are read back one at a time.
class JournalIndex {
public:
    JournalIndex(JournalHeader expected);
    ~JournalIndex();
    JournalIndex(const JournalIndex&) = delete;
    JournalIndex& operator=(const JournalIndex&) = delete;

    // Adds every *.log segment of `journal_dir` (sorted by name). Segments of another sweep are
    // an InputError (different fingerprint); torn or corrupt lines are counted and skipped.
    void scan(const std::filesystem::path& journal_dir);

    [[nodiscard]] bool done(std::uint64_t plan) const noexcept;
    [[nodiscard]] std::uint64_t done_count() const noexcept { return done_; }
    [[nodiscard]] Record read(std::uint64_t plan) const;  // plan must be done

    [[nodiscard]] std::size_t segments() const noexcept { return files_.size(); }
    [[nodiscard]] std::uint64_t torn() const noexcept { return torn_; }
    [[nodiscard]] std::uint64_t corrupt() const noexcept { return corrupt_; }
    [[nodiscard]] std::uint64_t duplicates() const noexcept { return duplicates_; }
    [[nodiscard]] std::uint64_t conflicts() const noexcept { return conflicts_; }
    [[nodiscard]] const std::vector<std::string>& versions() const noexcept { return versions_; }

private:
    struct Loc {
        std::uint64_t offset = 0;
        std::uint32_t segment = UINT32_MAX;  // UINT32_MAX = no record yet
        std::uint32_t length = 0;
    };
    std::string read_line(const Loc& loc) const;
    int fd_of(std::uint32_t segment) const;

    JournalHeader expected_;
    std::vector<Loc> locs_;
    std::vector<std::filesystem::path> files_;
    // A few open descriptors, most recently used first (records come in runs from one segment).
    mutable std::list<std::pair<std::uint32_t, int>> open_;
    std::uint64_t done_ = 0, torn_ = 0, corrupt_ = 0, duplicates_ = 0, conflicts_ = 0;
    std::vector<std::string> versions_;
};

}  // namespace resurgence::sweep
