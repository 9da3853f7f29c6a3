# goodwill — the two commands a fresh machine needs:
#   make demo   install what is missing, build, run the main job
#   make test   install what is missing, build, run every test
# Also: make bench, make format, make lint, make clean.

PYTHON ?= python3
PIP := $(PYTHON) -m pip
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
GENERATOR := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

BUILD := build/cpp
ASAN_BUILD := build/asan
TSAN_BUILD := build/tsan
BENCH_BUILD := build/bench
INSTALL_PREFIX := $(CURDIR)/build/install
PACKAGING_BUILD := build/packaging

# Debian packages the C++ side needs (headers, Boost.Test, Google Benchmark,
# formatters). Checked one by one; only the missing ones are installed.
APT_PACKAGES := g++ make libeigen3-dev libboost-test-dev libboost-math-dev \
  libbenchmark-dev librandom123-dev liblbfgspp-dev nlohmann-json3-dev \
  clang-format clang-tidy chromium
# Python modules (import name=pip name) for building, testing and the demo.
PY_MODULES := numpy=numpy pandas=pandas pyarrow=pyarrow pytest=pytest \
  hypothesis=hypothesis scikit_build_core=scikit-build-core pybind11=pybind11 \
  ninja=ninja cmake=cmake matplotlib=matplotlib dask=dask distributed=distributed \
  nbformat=nbformat nbclient=nbclient ipykernel=ipykernel xdist=pytest-xdist

.PHONY: all setup deps-system deps-python deps-fuzz build build-lib python demo test test-cpp \
  test-packaging test-python test-sanitize test-tsan fuzz-build fuzz test-fuzz fuzz-seeds \
  bench format deps-lint lint clean

all: build

setup: deps-system deps-python

deps-system:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "== apt-get install$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "== system packages present"; fi

deps-python:
	@missing=""; for m in $(PY_MODULES); do \
	  mod=$${m%%=*}; pkg=$${m#*=}; \
	  $(PYTHON) -c "import $$mod" >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	command -v cmake >/dev/null 2>&1 || missing="$$missing cmake"; \
	if [ -n "$$missing" ]; then \
	  echo "== pip install$$missing"; $(PIP) install -q $$missing; \
	else echo "== Python packages present"; fi

# ---- C++ ----------------------------------------------------------------------
# RelWithDebInfo with line tables only (-g1: file and line in a backtrace;
# 12% less compile time than -g on the largest test files).
$(BUILD)/CMakeCache.txt: | setup
	cmake -S . -B $(BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
	  -DGOODWILL_WERROR=ON -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
	  -DCMAKE_INSTALL_PREFIX=$(INSTALL_PREFIX)

build: setup $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# The library alone (what the packaging test installs); make test builds no
# more of the plain tree: the C++ tests run in the sanitized build below.
build-lib: setup $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS) --target goodwill

# The C++ tests: every suite and every case, under ASan+UBSan at -O1 with
# assertions (Eigen's bounds checks) on and line tables only. One build
# serves both what the plain build's tests and the sanitizer stage used to
# check (two builds of the tests were 15 of CI's 40 minutes): on the 2-core
# machine (2026-12-03, Intel Xeon, load 2-3) the build took 10.3 minutes,
# the 44 ctest entries 35 s without the cases labelled `slow` and those
# (tests/cpp/slow.hpp) 152 s more on one core; at -O0 the same entries took
# 3-11 minutes without the slow cases. In a fresh-clone CI run on the quiet
# machine (20 minutes in all): build 6.6 min, ctest 2.5 min (calibrate's
# 145 s the longest entry). The plain, optimised tree still builds
# and runs the tests for a developer: make build && ctest --test-dir build/cpp.
test-cpp: setup
	cmake -S . -B $(ASAN_BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DGOODWILL_SANITIZE=ON -DGOODWILL_WERROR=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

# The same stage under its old name.
test-sanitize: test-cpp

# tests/packaging: a consumer of the installed package (find_package; every
# public header also compiled on its own; the header-only consumer too) and
# one of the source tree (add_subdirectory); both compile every public header
# and run main.cpp.
# Unoptimised (Debug, -O0, no debug information): what is checked is that
# they configure, compile, link and run, not their speed; the header-only
# consumer's main.cpp, which compiles all of goodwill, takes 79 s at -O0
# and 112 s at -O3 on one core here.
test-packaging: build-lib
	rm -rf $(INSTALL_PREFIX) $(PACKAGING_BUILD)
	cmake --install $(BUILD) --component devel
	cmake -S tests/packaging -B $(PACKAGING_BUILD)/find_package $(GENERATOR) \
	  -DGOODWILL_CONSUME=find_package -DGOODWILL_HEADER_CHECK=ON \
	  -DCMAKE_PREFIX_PATH=$(INSTALL_PREFIX) -DGOODWILL_EXPECTED_PREFIX=$(INSTALL_PREFIX) \
	  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-O0
	cmake --build $(PACKAGING_BUILD)/find_package -j $(JOBS)
	ctest --test-dir $(PACKAGING_BUILD)/find_package --output-on-failure
	cmake -S tests/packaging -B $(PACKAGING_BUILD)/add_subdirectory $(GENERATOR) \
	  -DGOODWILL_CONSUME=add_subdirectory -DGOODWILL_SOURCE_DIR=$(CURDIR) \
	  -DGOODWILL_HEADER_ONLY_CONSUMER=OFF -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-O0
	cmake --build $(PACKAGING_BUILD)/add_subdirectory -j $(JOBS)
	ctest --test-dir $(PACKAGING_BUILD)/add_subdirectory --output-on-failure

# The concurrency suites (parallel_for, ledger, interrupt) under ThreadSanitizer, in
# their own small executable (tests/cpp/CMakeLists.txt). Measured on the
# shared 2-core machine: this stage from a clean build/tsan (configure,
# 3 files at -O1 -g1, link, run) took 30 s at load average 4-7; the suites
# alone ran in 36 s at load 10-17. Building test_replay.cpp as well took
# 271 s and running all three suites 131 s (6.7 min at load 10-17, over the
# 5 minutes CI can spare), so replay's suite stays out of this stage.
test-tsan: setup
	cmake -S . -B $(TSAN_BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DGOODWILL_TSAN_TESTS=ON -DGOODWILL_WERROR=ON
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target goodwill_tsan_tests
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	  $(TSAN_BUILD)/tests/cpp/goodwill_tsan_tests --log_level=warning --report_level=short

# ---- fuzzing -------------------------------------------------------------------
# libFuzzer harnesses (tests/fuzz/fuzz_NAME.cpp) for the three readers of
# untrusted bytes: ledger load (.gwl), Genius XML, relationship-model JSON and
# guards; built with clang (libFuzzer needs it) under ASan+UBSan. Each run
# starts from the seed corpus in tests/fuzz/corpus/NAME (also the regression
# inputs: every file there is run first, and a crash on one fails the run);
# new inputs go to build/fuzz/work/NAME, crashes to build/fuzz/artifacts/.
#   make fuzz              each harness for FUZZ_SECONDS (default 600 = 10 min)
#   make fuzz FUZZ_SECONDS=60
#   make test-fuzz         each harness for 30 s (part of make test)
FUZZ_APT_PACKAGES := clang-14 libclang-rt-14-dev
FUZZ_CXX ?= clang++-14
FUZZ_BUILD := build/fuzz
FUZZ_HARNESSES := ledger_load genius_xml model_json
FUZZ_SECONDS ?= 600
FUZZ_TEST_SECONDS ?= 30
FUZZ_FLAGS := -std=c++20 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=undefined -DGOODWILL_HEADER_ONLY -Iinclude -isystem /usr/include/eigen3
# One command line per harness, header-only (GOODWILL_HEADER_ONLY: the
# compiled parts of goodwill come with the headers, all under the sanitizers).
FUZZ_HEADERS := $(wildcard include/goodwill/*.hpp include/goodwill/*/*.hpp include/goodwill/*/*/*.hpp)
# rss_limit_mb also caps a single allocation (malloc_limit_mb defaults to
# it): a header that makes the reader allocate gigabytes is a failure.
FUZZ_RUN_FLAGS := -timeout=20 -rss_limit_mb=2048 -print_final_stats=1

deps-fuzz:
	@missing=""; for p in $(FUZZ_APT_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "== apt-get install$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "== fuzzing packages present"; fi

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.cpp $(FUZZ_HEADERS) | deps-fuzz
	@mkdir -p $(FUZZ_BUILD)
	$(FUZZ_CXX) $(FUZZ_FLAGS) $< -o $@

fuzz-build: setup deps-fuzz $(addprefix $(FUZZ_BUILD)/fuzz_,$(FUZZ_HARNESSES))

# Run every harness for $(1) seconds each; stop at the first failure.
define run_fuzzers
	@set -e; for h in $(FUZZ_HARNESSES); do \
	  mkdir -p $(FUZZ_BUILD)/work/$$h $(FUZZ_BUILD)/artifacts; \
	  echo "== fuzz $$h for $(1) s"; \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
	    $(FUZZ_BUILD)/fuzz_$$h $(FUZZ_RUN_FLAGS) -max_total_time=$(1) \
	    -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$h- \
	    $(FUZZ_BUILD)/work/$$h tests/fuzz/corpus/$$h 2>$(FUZZ_BUILD)/$$h.log || \
	    { tail -n 60 $(FUZZ_BUILD)/$$h.log; echo "== fuzz $$h FAILED (log: $(FUZZ_BUILD)/$$h.log)"; exit 1; }; \
	  grep -E '^#[0-9]+.*(DONE|INITED)|^stat::' $(FUZZ_BUILD)/$$h.log | tail -n 8; \
	done
endef

fuzz: fuzz-build
	$(call run_fuzzers,$(FUZZ_SECONDS))

test-fuzz: fuzz-build
	$(call run_fuzzers,$(FUZZ_TEST_SECONDS))

# Regenerate the generated seeds (version-3 ledgers, model JSON).
fuzz-seeds:
	@mkdir -p $(FUZZ_BUILD) tests/fuzz/corpus/ledger_load tests/fuzz/corpus/model_json
	$(CXX) -std=c++20 -O0 -DGOODWILL_HEADER_ONLY -Iinclude -isystem /usr/include/eigen3 tests/fuzz/write_seeds.cpp \
	  -o $(FUZZ_BUILD)/write_seeds
	$(FUZZ_BUILD)/write_seeds tests/fuzz/corpus

# ---- Python -------------------------------------------------------------------
python: setup
	$(PIP) install -q --no-build-isolation .

# One worker process per core (pytest-xdist, JOBS = nproc): on the 2-core CI
# machine 1.5 minutes instead of 3.5; each test still runs in its worker's
# main thread (the Ctrl-C tests need it).
test-python: python
	cd tests/python && $(PYTHON) -m pytest -q -n $(JOBS)

# ---- the two commands -----------------------------------------------------------
demo: python
	mkdir -p build && cd /tmp && $(PYTHON) -m goodwill.demo --report $(CURDIR)/build/goodwill-report.html

test: test-cpp test-packaging test-python test-tsan test-fuzz
	@echo "== make test: every suite passed"

# ---- benchmarks, style ----------------------------------------------------------------
bench: python
	cmake -S . -B $(BENCH_BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=Release \
	  -DGOODWILL_BUILD_TESTS=OFF -DGOODWILL_BUILD_BENCHMARKS=ON
	cmake --build $(BENCH_BUILD) -j $(JOBS)
	$(BENCH_BUILD)/benchmarks/goodwill_benchmarks --benchmark_min_time=0.2
	$(BENCH_BUILD)/benchmarks/goodwill_replay_scaling 10
	$(PYTHON) benchmarks/run.py
	@$(PYTHON) -c "import negmas" >/dev/null 2>&1 || $(PIP) install -q negmas || \
	  echo "== negmas (benchmark-only peer) could not be installed"
	$(PYTHON) benchmarks/negotiation_vs_negmas.py
	$(PIP) install -q lifetimes scipy  # benchmark-only peer
	$(PYTHON) benchmarks/btyd_vs_lifetimes.py
	$(PYTHON) benchmarks/clv_vs_lifetimes.py
	$(PYTHON) benchmarks/simulation_vs_numpy.py --memory

SOURCES = $(shell git ls-files '*.hpp' '*.cpp' 2>/dev/null)

format: setup
	clang-format -i $(SOURCES)

# make lint: every check below must be clean.
#   clang-format  the C++ sources' style (.clang-format)
#   clang-tidy    src/, bindings/ and tests/cpp (and the headers they include;
#                 the checks and why in .clang-tidy), from a compile database
#                 of its own: configured, never built, without precompiled
#                 headers (clang cannot read GCC's), with the Python module on
#   mypy          --strict on python/goodwill (pyproject.toml)
#   stubtest      python/goodwill/_core/*.pyi against the compiled goodwill._core
#                 and its submodules
#                 (what it cannot express: python/stubtest_allowlist.txt)
#   ruff          python, tests/python, benchmarks, examples
# The Python tools are pinned: a new release must not change what clean means.
LINT_BUILD := build/lint
LINT_PY_PACKAGES := mypy==2.4.1 pandas-stubs==3.1.0.261029 ruff==0.17.6
TIDY := clang-tidy-14
RUN_TIDY := run-clang-tidy-14
TIDY_SOURCES = $(shell find src bindings tests/cpp -name '*.cpp' 2>/dev/null | sort)

deps-lint: setup
	@missing=""; for p in $(LINT_PY_PACKAGES); do \
	  $(PIP) show $${p%%==*} 2>/dev/null | grep -qx "Version: $${p#*==}" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "== pip install$$missing"; $(PIP) install -q $$missing; \
	else echo "== lint tools present"; fi

lint: deps-lint python
	clang-format --dry-run --Werror $(SOURCES)
	cmake -S . -B $(LINT_BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DCMAKE_DISABLE_PRECOMPILE_HEADERS=ON \
	  -DGOODWILL_PYTHON=ON -DGOODWILL_INSTALL=OFF -Dpybind11_DIR="$$($(PYTHON) -m pybind11 --cmakedir)"
	$(RUN_TIDY) -clang-tidy-binary $(TIDY) -p $(LINT_BUILD) -quiet -j $(JOBS) $(TIDY_SOURCES)
	$(PYTHON) -m mypy
	cd /tmp && MYPYPATH=$(CURDIR)/python $(PYTHON) -m mypy.stubtest goodwill._core \
	  --allowlist $(CURDIR)/python/stubtest_allowlist.txt
	$(PYTHON) -m ruff check python tests/python benchmarks examples

clean:
	rm -rf build
