#pragma once
// Whole-or-nothing output files. A file is written under a temporary name in the target folder
// and renamed over its final name only when complete, so a crash or a failed run never leaves
// a file that looks complete.
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>

namespace resurgence {

class AtomicFile {
public:
    explicit AtomicFile(std::filesystem::path final_path);
    ~AtomicFile();  // removes the temporary if commit() was not reached
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    void write(std::string_view bytes);
    // Flushes, syncs and renames onto the final path. Throws RuntimeFailure on I/O errors.
    void commit();
    // The two halves of commit(), for a group of files that must appear together
    // (commit_together): sync() flushes, syncs and closes the temporary; publish() renames it.
    void sync();
    void publish();
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return final_; }

private:
    std::filesystem::path final_;
    std::filesystem::path tmp_;
    std::FILE* f_ = nullptr;
    bool synced_ = false;  // closed, temporary still on disk, not yet renamed
};

// Commits a group of files so that either all of them appear under their final names or none
// does: every file is synced first, then renamed in order; if a rename fails, the files already
// renamed by this call are removed again and the remaining temporaries deleted, and the error
// is thrown. (Renames are atomic one by one, not as a group: a crash between two renames can
// still leave some of the group, which is why run.json, written last, marks a whole folder.)
void commit_together(std::initializer_list<AtomicFile*> files);

// Writes a whole file atomically in one call.
void write_file_atomic(const std::filesystem::path& path, std::string_view bytes);

// Minimal JSON string escaping (for run.json and friends).
std::string json_escape(std::string_view s);

}  // namespace resurgence
