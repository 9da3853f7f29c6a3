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
  fs::path path = fs::temp_directory_path() /
                  ("goodwill-atomic-" + std::to_string(std::random_device{}()));
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

BOOST_AUTO_TEST_SUITE_END()
