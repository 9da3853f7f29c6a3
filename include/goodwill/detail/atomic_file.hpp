// goodwill — detail: files written atomically, and read with their size known.
//
// Design: a save must never leave a half-written file, nor destroy the old
// one before the new one is complete. atomic_file_writer writes to a new
// temporary file in the target's own directory (a rename is atomic only
// within one file system), created exclusively (mode "x": never an existing
// file or a link planted there) with the permissions a new file gets (or the
// target's, if it exists); commit() flushes the C library's buffer, asks the
// OS to put the data on disk (fsync), closes the file and renames it over the
// target, then syncs the directory so the rename itself survives a power
// cut. A writer destroyed without commit() (an exception, a failed write)
// removes its temporary file: the target is then exactly as it was. A
// process killed mid-save leaves the target intact and, at worst, a
// ".NAME.XXXXXXXX.tmp" file beside it. Every failure is an invalid_input
// naming the file and the OS's reason.
//
// input_file opens a file for reading and tells its size, so that a reader
// can check every count in a header against the bytes actually there before
// it allocates anything.
#ifndef GOODWILL_DETAIL_ATOMIC_FILE_HPP
#define GOODWILL_DETAIL_ATOMIC_FILE_HPP

#include <goodwill/error.hpp>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ios>
#include <ostream>
#include <random>
#include <streambuf>
#include <string>
#include <system_error>
#include <utility>

#if __has_include(<unistd.h>) && __has_include(<fcntl.h>)
#include <fcntl.h>
#include <unistd.h>
#define GOODWILL_DETAIL_ATOMIC_FILE_POSIX 1
#endif

namespace goodwill::detail {

/// The OS's description of an errno value.
[[nodiscard]] inline std::string os_reason(int err) {
  return err == 0 ? std::string("unknown error") : std::generic_category().message(err);
}

/// `what 'path'`, as every message about a file starts.
[[nodiscard]] inline std::string describe_file(const char *what, const std::filesystem::path &p) {
  return std::string(what) + " '" + p.string() + "'";
}

/// A std::streambuf writing to a C FILE (which buffers); keeps the first
/// errno of a failed write.
class file_streambuf : public std::streambuf {
public:
  explicit file_streambuf(std::FILE *f) noexcept : file_(f) {}
  [[nodiscard]] int error() const noexcept { return error_; }

protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof()))
      return traits_type::not_eof(c);
    const char ch = traits_type::to_char_type(c);
    return put(&ch, 1) == 1 ? c : traits_type::eof();
  }
  std::streamsize xsputn(const char *s, std::streamsize n) override { return put(s, n); }

private:
  std::streamsize put(const char *s, std::streamsize n) {
    if (n <= 0 || error_ != 0)
      return error_ != 0 ? 0 : n;
    errno = 0;
    const std::size_t wrote = std::fwrite(s, 1, static_cast<std::size_t>(n), file_);
    if (wrote != static_cast<std::size_t>(n))
      error_ = errno != 0 ? errno : EIO;
    return static_cast<std::streamsize>(wrote);
  }

  std::FILE *file_;
  int error_ = 0;
};

/// A file written to a temporary beside its target and renamed over it by
/// commit(); see the design note above.
class atomic_file_writer {
public:
  /// Create the temporary file for `target`; `what` names the kind of file
  /// in messages ("ledger file").
  atomic_file_writer(std::filesystem::path target, const char *what)
      : target_(std::move(target)), what_(what) {
    if (target_.empty())
      throw invalid_input("cannot write a " + std::string(what_) + ": the path is empty");
    std::error_code ec;
    if (std::filesystem::is_directory(target_, ec))
      throw invalid_input("cannot write " + describe_file(what_, target_) + ": it is a directory");
    const std::filesystem::path dir = directory();
    if (!std::filesystem::is_directory(dir, ec))
      throw invalid_input("cannot write " + describe_file(what_, target_) +
                          ": its directory does not exist");
    static std::atomic<std::uint64_t> counter{0};
    std::random_device device;
    for (int attempt = 0; attempt < 16 && file_ == nullptr; ++attempt) {
      const std::uint64_t salt =
          (std::uint64_t{device()} << 32) ^ device() ^ counter.fetch_add(1) * 0x9E3779B97F4A7C15ull;
      char hex[17];
      std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(salt));
      temp_ = dir / ("." + target_.filename().string() + "." + std::string(hex, 8) + ".tmp");
      errno = 0;
      file_ = std::fopen(temp_.string().c_str(), "wbx");
      if (file_ == nullptr && errno != EEXIST)
        break;
    }
    if (file_ == nullptr)
      throw invalid_input("cannot write " + describe_file(what_, target_) +
                          ": cannot create a temporary file in its directory (" +
                          os_reason(errno) + ")");
    std::setvbuf(file_, nullptr, _IOFBF, std::size_t{1} << 20);
    // a replaced file keeps its permissions
    const auto status = std::filesystem::status(target_, ec);
    if (!ec && std::filesystem::is_regular_file(status))
      std::filesystem::permissions(temp_, status.permissions(), ec);
    buf_.emplace(file_);
    stream_.rdbuf(&*buf_);
  }

  atomic_file_writer(const atomic_file_writer &) = delete;
  atomic_file_writer &operator=(const atomic_file_writer &) = delete;

  /// Removes the temporary file unless commit() succeeded.
  ~atomic_file_writer() {
    if (file_ != nullptr)
      std::fclose(file_);
    if (!committed_ && !temp_.empty()) {
      std::error_code ec;
      std::filesystem::remove(temp_, ec);
    }
  }

  /// The stream to write the content to.
  [[nodiscard]] std::ostream &stream() noexcept { return stream_; }
  /// The temporary file (for tests).
  [[nodiscard]] const std::filesystem::path &temporary_path() const noexcept { return temp_; }

  /// Flush, sync to disk, close and rename over the target.
  void commit() {
    int err = buf_->error();
    if (err == 0 && !stream_)
      err = EIO;
    if (err == 0 && std::fflush(file_) != 0)
      err = errno != 0 ? errno : EIO;
#ifdef GOODWILL_DETAIL_ATOMIC_FILE_POSIX
    if (err == 0 && ::fsync(::fileno(file_)) != 0)
      err = errno;
#endif
    const int closed = std::fclose(file_);
    file_ = nullptr;
    if (err == 0 && closed != 0)
      err = errno != 0 ? errno : EIO;
    if (err != 0)
      throw invalid_input("cannot write " + describe_file(what_, target_) + ": " + os_reason(err) +
                          " (the file is unchanged)");
    std::error_code ec;
    std::filesystem::rename(temp_, target_, ec);
    if (ec)
      throw invalid_input("cannot write " + describe_file(what_, target_) +
                          ": renaming the temporary file over it failed (" + ec.message() +
                          "; the file is unchanged)");
    committed_ = true;
#ifdef GOODWILL_DETAIL_ATOMIC_FILE_POSIX
    // the rename is durable once the directory is synced; a file system
    // that cannot sync a directory has still renamed atomically
    const int dfd = ::open(directory().c_str(), O_RDONLY | O_CLOEXEC);
    if (dfd >= 0) {
      (void)::fsync(dfd);
      ::close(dfd);
    }
#endif
  }

private:
  [[nodiscard]] std::filesystem::path directory() const {
    const auto parent = target_.parent_path();
    return parent.empty() ? std::filesystem::path(".") : parent;
  }

  std::filesystem::path target_;
  const char *what_;
  std::filesystem::path temp_;
  std::FILE *file_ = nullptr;
  std::optional<file_streambuf> buf_;
  std::ostream stream_{nullptr};
  bool committed_ = false;
};

/// A file opened for binary reading, with its size.
class input_file {
public:
  input_file(const std::filesystem::path &path, const char *what) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
      throw invalid_input("cannot read " + describe_file(what, path) + ": it is a directory");
    errno = 0;
    stream_.open(path, std::ios::binary);
    if (!stream_)
      throw invalid_input("cannot read " + describe_file(what, path) + ": " + os_reason(errno));
    stream_.seekg(0, std::ios::end);
    const auto end = stream_.tellg();
    stream_.seekg(0, std::ios::beg);
    if (end < 0 || !stream_)
      throw invalid_input("cannot read " + describe_file(what, path) +
                          ": its size cannot be determined");
    size_ = static_cast<std::uint64_t>(end);
  }
  [[nodiscard]] std::istream &stream() noexcept { return stream_; }
  [[nodiscard]] std::uint64_t size() const noexcept { return size_; }

private:
  std::ifstream stream_;
  std::uint64_t size_ = 0;
};

} // namespace goodwill::detail

#endif // GOODWILL_DETAIL_ATOMIC_FILE_HPP
