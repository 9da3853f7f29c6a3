// goodwill — detail: files written atomically, and read with their size known.
//
// Design: a save must never leave a half-written file, nor destroy the old
// one before the new one is complete. atomic_file_writer writes to a new
// temporary file in the target's own directory (a rename is atomic only
// within one file system), created exclusively (O_EXCL: never an existing
// file or a link planted there) with the permissions a new file gets (or the
// target's, if it exists); commit() flushes the writer's buffer, asks the
// OS to put the data on disk (fsync), closes the file and renames it over the
// target, then syncs the directory so the rename itself survives a power
// cut.
//
// Cost (benchmarks/ledger_file_cost.cpp, RESULTS.md): the fsync is what
// makes a save durable and is most of what an atomic save costs over a plain
// write, since the plain write returns with the data still in the page
// cache. On POSIX the writer therefore writes through its own buffer
// straight to the file descriptor (large pieces bypass the buffer: no second
// copy) and, on Linux, asks the kernel to start writing back every 8 MiB as
// soon as it is written (sync_file_range, SYNC_FILE_RANGE_WRITE: a hint that
// does not wait), so that the disk works while the rest is produced and the
// final fsync waits for the last piece only; durability still rests on the
// fsync alone. A writer destroyed without commit() (an exception, a failed write)
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

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ios>
#include <memory>
#include <optional>
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
  int sync() override {
    if (error_ == 0 && std::fflush(file_) != 0)
      error_ = errno != 0 ? errno : EIO;
    return error_ == 0 ? 0 : -1;
  }

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

#ifdef GOODWILL_DETAIL_ATOMIC_FILE_POSIX
/// A std::streambuf writing to a POSIX file descriptor through its own
/// buffer; a write larger than the buffer goes to the descriptor directly.
/// On Linux, writeback of what has been written is started every
/// `writeback_window` bytes (see the design note). Keeps the first errno of
/// a failed write; after one, every write fails.
class fd_streambuf : public std::streambuf {
public:
  static constexpr std::size_t capacity = std::size_t{1} << 20;
  static constexpr std::uint64_t writeback_window = std::uint64_t{8} << 20;

  explicit fd_streambuf(int fd) : fd_(fd), buffer_(new char[capacity]) {
    setp(buffer_.get(), buffer_.get() + capacity);
  }
  [[nodiscard]] int error() const noexcept { return error_; }
  /// Bytes handed to the OS so far.
  [[nodiscard]] std::uint64_t written() const noexcept { return written_; }

protected:
  int_type overflow(int_type c) override {
    if (!drain())
      return traits_type::eof();
    if (traits_type::eq_int_type(c, traits_type::eof()))
      return traits_type::not_eof(c);
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
    return c;
  }
  std::streamsize xsputn(const char *s, std::streamsize n) override {
    if (n <= 0)
      return 0;
    const auto room = static_cast<std::streamsize>(epptr() - pptr());
    if (n <= room) {
      std::memcpy(pptr(), s, static_cast<std::size_t>(n));
      pbump(static_cast<int>(n));
      return n;
    }
    if (!drain())
      return 0;
    if (static_cast<std::size_t>(n) < capacity) {
      std::memcpy(pptr(), s, static_cast<std::size_t>(n));
      pbump(static_cast<int>(n));
      return n;
    }
    return write_all(s, static_cast<std::size_t>(n)) ? n : 0;
  }
  int sync() override { return drain() ? 0 : -1; }

private:
  bool drain() {
    const auto n = static_cast<std::size_t>(pptr() - pbase());
    setp(buffer_.get(), buffer_.get() + capacity);
    return write_all(buffer_.get(), n);
  }
  bool write_all(const char *s, std::size_t n) {
    if (error_ != 0)
      return false;
    while (n > 0) {
      const ::ssize_t w = ::write(fd_, s, std::min<std::size_t>(n, std::size_t{1} << 30));
      if (w < 0) {
        if (errno == EINTR)
          continue;
        error_ = errno != 0 ? errno : EIO;
        return false;
      }
      if (w == 0) {
        error_ = EIO;
        return false;
      }
      s += w;
      n -= static_cast<std::size_t>(w);
      written_ += static_cast<std::uint64_t>(w);
    }
#if defined(__linux__) && defined(SYNC_FILE_RANGE_WRITE)
    if (written_ - started_ >= writeback_window) {
      (void)::sync_file_range(fd_, static_cast<::off_t>(started_),
                              static_cast<::off_t>(written_ - started_), SYNC_FILE_RANGE_WRITE);
      started_ = written_;
    }
#endif
    return true;
  }

  int fd_;
  std::unique_ptr<char[]> buffer_;
  int error_ = 0;
  std::uint64_t written_ = 0;
  std::uint64_t started_ = 0; // writeback requested up to here
};
#endif

/// A file written to a temporary beside its target and renamed over it by
/// commit(); see the design note above.
class atomic_file_writer {
public:
  /// Whether commit() syncs the data and the directory to disk.
  enum class durability : std::uint8_t {
    synced,   ///< fsync of the file and of its directory (every save)
    unsynced, ///< no fsync: atomic but not durable; only to measure the fsync's cost
  };

  /// Create the temporary file for `target`; `what` names the kind of file
  /// in messages ("ledger file").
  atomic_file_writer(std::filesystem::path target, const char *what,
                     durability sync = durability::synced)
      : target_(std::move(target)), what_(what), sync_(sync) {
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
    for (int attempt = 0; attempt < 16 && !is_open(); ++attempt) {
      const std::uint64_t salt =
          (std::uint64_t{device()} << 32) ^ device() ^ counter.fetch_add(1) * 0x9E3779B97F4A7C15ull;
      char hex[17];
      std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(salt));
      temp_ = dir / ("." + target_.filename().string() + "." + std::string(hex, 8) + ".tmp");
      errno = 0;
#ifdef GOODWILL_DETAIL_ATOMIC_FILE_POSIX
      fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
#else
      file_ = std::fopen(temp_.string().c_str(), "wbx");
#endif
      if (!is_open() && errno != EEXIST)
        break;
    }
    if (!is_open())
      throw invalid_input("cannot write " + describe_file(what_, target_) +
                          ": cannot create a temporary file in its directory (" + os_reason(errno) +
                          ")");
#ifndef GOODWILL_DETAIL_ATOMIC_FILE_POSIX
    std::setvbuf(file_, nullptr, _IOFBF, std::size_t{1} << 20);
#endif
    // a replaced file keeps its permissions
    const auto status = std::filesystem::status(target_, ec);
    if (!ec && std::filesystem::is_regular_file(status))
      std::filesystem::permissions(temp_, status.permissions(), ec);
#ifdef GOODWILL_DETAIL_ATOMIC_FILE_POSIX
    buf_.emplace(fd_);
#else
    buf_.emplace(file_);
#endif
    stream_.rdbuf(&*buf_);
  }

  atomic_file_writer(const atomic_file_writer &) = delete;
  atomic_file_writer &operator=(const atomic_file_writer &) = delete;

  /// Removes the temporary file unless commit() succeeded.
  ~atomic_file_writer() {
    (void)close_file();
    if (!committed_ && !temp_.empty()) {
      std::error_code ec;
      std::filesystem::remove(temp_, ec);
    }
  }

  /// The stream to write the content to.
  [[nodiscard]] std::ostream &stream() noexcept {
    return stream_;
  }
  /// The temporary file (for tests).
  [[nodiscard]] const std::filesystem::path &temporary_path() const noexcept {
    return temp_;
  }

  /// Flush, sync to disk, close and rename over the target.
  void commit() {
    int err = buf_->error();
    if (err == 0 && !stream_)
      err = EIO;
    if (err == 0 && buf_->pubsync() != 0)
      err = buf_->error() != 0 ? buf_->error() : EIO;
#ifdef GOODWILL_DETAIL_ATOMIC_FILE_POSIX
    if (err == 0 && sync_ == durability::synced && ::fsync(fd_) != 0)
      err = errno;
#endif
    const int closed = close_file();
    if (err == 0 && closed != 0)
      err = closed;
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
    const int dfd =
        sync_ == durability::synced ? ::open(directory().c_str(), O_RDONLY | O_CLOEXEC) : -1;
    if (dfd >= 0) {
      (void)::fsync(dfd);
      ::close(dfd);
    }
#endif
  }

private:
#ifdef GOODWILL_DETAIL_ATOMIC_FILE_POSIX
  [[nodiscard]] bool is_open() const noexcept {
    return fd_ >= 0;
  }
  // 0 or the errno of a failed close
  int close_file() noexcept {
    if (fd_ < 0)
      return 0;
    const int closed = ::close(fd_);
    fd_ = -1;
    return closed == 0 ? 0 : (errno != 0 ? errno : EIO);
  }
#else
  [[nodiscard]] bool is_open() const noexcept {
    return file_ != nullptr;
  }
  int close_file() noexcept {
    if (file_ == nullptr)
      return 0;
    errno = 0;
    const int closed = std::fclose(file_);
    file_ = nullptr;
    return closed == 0 ? 0 : (errno != 0 ? errno : EIO);
  }
#endif

  [[nodiscard]] std::filesystem::path directory() const {
    const auto parent = target_.parent_path();
    return parent.empty() ? std::filesystem::path(".") : parent;
  }

  std::filesystem::path target_;
  const char *what_;
  durability sync_;
  std::filesystem::path temp_;
#ifdef GOODWILL_DETAIL_ATOMIC_FILE_POSIX
  int fd_ = -1;
  std::optional<fd_streambuf> buf_;
#else
  std::FILE *file_ = nullptr;
  std::optional<file_streambuf> buf_;
#endif
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
