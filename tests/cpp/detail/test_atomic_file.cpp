#include <goodwill/detail/atomic_file.hpp>

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>

BOOST_AUTO_TEST_SUITE(atomic_file)

using goodwill::detail::atomic_file_writer;
namespace fs = std::filesystem;

namespace {

struct temp_dir {
  fs::path path =
      fs::temp_directory_path() / ("goodwill-atomic-" + std::to_string(std::random_device{}()));
  temp_dir() { fs::create_directories(path); }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  [[nodiscard]] std::size_t files() const {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto &e : fs::directory_iterator(path))
      ++n;
    return n;
  }
};

std::string read(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_plain(const fs::path &p, const std::string &s) {
  std::ofstream(p, std::ios::binary) << s;
}

} // namespace

BOOST_AUTO_TEST_CASE(commit_replaces_the_target_whole) {
  temp_dir dir;
  const auto target = dir.path / "data.bin";
  write_plain(target, "old content");
  {
    atomic_file_writer w(target, "test file");
    BOOST_TEST(w.temporary_path().parent_path() == dir.path);
    w.stream() << "new";
    // until commit(), the target is the old file
    BOOST_TEST(read(target) == "old content");
    BOOST_TEST(dir.files() == 2u);
    w.commit();
  }
  BOOST_TEST(read(target) == "new");
  BOOST_TEST(dir.files() == 1u);
}

BOOST_AUTO_TEST_CASE(abandoned_write_leaves_the_target_and_no_temporary) {
  temp_dir dir;
  const auto target = dir.path / "data.bin";
  write_plain(target, "old content");
  try {
    atomic_file_writer w(target, "test file");
    w.stream() << std::string(3 << 20, 'x'); // more than the buffer: on disk already
    throw std::runtime_error("interrupted");
  } catch (const std::runtime_error &) {
  }
  BOOST_TEST(read(target) == "old content");
  BOOST_TEST(dir.files() == 1u);
  // a new file is created only by commit()
  const auto fresh = dir.path / "fresh.bin";
  { atomic_file_writer w(fresh, "test file"); }
  BOOST_TEST(!fs::exists(fresh));
  BOOST_TEST(dir.files() == 1u);
}

BOOST_AUTO_TEST_CASE(relative_paths_and_errors_name_the_file) {
  temp_dir dir;
  const auto old = fs::current_path();
  fs::current_path(dir.path);
  {
    atomic_file_writer w("here.bin", "test file");
    w.stream() << "x";
    w.commit();
  }
  fs::current_path(old);
  BOOST_TEST(read(dir.path / "here.bin") == "x");
  for (const fs::path &bad : {dir.path / "no" / "such.bin", dir.path, fs::path()}) {
    try {
      atomic_file_writer w(bad, "test file");
      BOOST_FAIL("created " << bad);
    } catch (const goodwill::invalid_input &e) {
      BOOST_TEST(std::string(e.what()).find("test file") != std::string::npos);
      BOOST_TEST(std::string(e.what()).find(bad.string()) != std::string::npos);
    }
  }
  try {
    goodwill::detail::input_file in(dir.path / "absent.bin", "test file");
    BOOST_FAIL("opened a missing file");
  } catch (const goodwill::invalid_input &e) {
    BOOST_TEST(std::string(e.what()).find("absent.bin") != std::string::npos);
    BOOST_TEST(std::string(e.what()).find("No such file") != std::string::npos);
  }
  goodwill::detail::input_file in(dir.path / "here.bin", "test file");
  BOOST_TEST(in.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_full_disk_is_an_error_and_keeps_the_target) {
  // /dev/full fails every write with ENOSPC; the writer's temporary file
  // cannot live there, so this checks the stream's error path directly.
  std::FILE *f = std::fopen("/dev/full", "wb");
  if (f == nullptr) {
    BOOST_TEST_MESSAGE("no /dev/full here");
    return;
  }
  std::setvbuf(f, nullptr, _IONBF, 0);
  goodwill::detail::file_streambuf buf(f);
  std::ostream out(&buf);
  out << "data";
  out.flush();
  BOOST_TEST(!out.good());
  BOOST_TEST(buf.error() == ENOSPC);
  std::fclose(f);
}

#ifdef GOODWILL_DETAIL_ATOMIC_FILE_POSIX
BOOST_AUTO_TEST_CASE(the_descriptor_stream_reports_a_full_disk) {
  const int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    BOOST_TEST_MESSAGE("no /dev/full here");
    return;
  }
  {
    goodwill::detail::fd_streambuf buf(fd);
    std::ostream out(&buf);
    out << "data"; // buffered
    BOOST_TEST(buf.pubsync() == -1);
    BOOST_TEST(buf.error() == ENOSPC);
    // a write larger than the buffer goes to the descriptor and fails too
    const std::string big(goodwill::detail::fd_streambuf::capacity + 1, 'x');
    out.write(big.data(), static_cast<std::streamsize>(big.size()));
    BOOST_TEST(!out.good());
    BOOST_TEST(buf.written() == 0u);
  }
  ::close(fd);
}
#endif

BOOST_AUTO_TEST_CASE(pieces_of_every_size_arrive_in_order) {
  // small writes (buffered), writes that overflow the buffer and writes
  // larger than it (passed to the file directly), across more than one
  // writeback window
  temp_dir dir;
  const auto target = dir.path / "big.bin";
  std::mt19937_64 rng(15);
  std::string expected;
  {
    atomic_file_writer w(target, "test file");
    std::size_t sizes[] = {1, 7, 1000, (1u << 20) - 3, 5, (3u << 20) + 11, 64, 1u << 20, 2};
    for (int round = 0; round < 4; ++round)
      for (std::size_t n : sizes) {
        std::string piece(n, '\0');
        for (auto &c : piece)
          c = static_cast<char>(rng());
        w.stream().write(piece.data(), static_cast<std::streamsize>(n));
        w.stream().put('|');
        expected += piece;
        expected += '|';
      }
    w.commit();
  }
  BOOST_TEST(expected.size() > 8u * (1u << 20));
  BOOST_TEST((read(target) == expected));
  BOOST_TEST(dir.files() == 1u);
}

BOOST_AUTO_TEST_CASE(the_unsynced_mode_is_atomic_too) {
  temp_dir dir;
  const auto target = dir.path / "data.bin";
  write_plain(target, "old");
  {
    atomic_file_writer w(target, "test file", atomic_file_writer::durability::unsynced);
    w.stream() << "new";
    BOOST_TEST(read(target) == "old");
    w.commit();
  }
  BOOST_TEST(read(target) == "new");
  BOOST_TEST(dir.files() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
