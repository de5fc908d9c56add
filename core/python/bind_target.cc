// Target: the executable, where memory comes from, and the selected frame.
#include "elf/core_file.h"
#include "errors.h"
#include "memory/cached_memory.h"
#include "memory/process_memory.h"
#include "program/go_binary.h"
#include "python/bindings.h"
#include "target/executable_match.h"
#include "target/target.h"

namespace gomapdbg::python {

namespace {

// Reads through a Python callable (address, size) -> bytes | None, which
// wraps the debugger's API. All-or-nothing; PrefixProbingReader finds the
// readable prefix, CachedMemory batches small reads into 64 KiB blocks.
class CallbackReader : public MemoryReader {
 public:
  explicit CallbackReader(py::function read) : read_(std::move(read)) {}
  size_t read(uint64_t address, void* out, size_t size) override {
    py::object result;
    try {
      result = read_(address, size);
    } catch (py::error_already_set& e) {
      if (e.matches(PyExc_KeyboardInterrupt)) throw;
      return 0;
    }
    if (result.is_none()) return 0;
    std::string_view data = result.cast<std::string_view>();
    size_t n = std::min(size, data.size());
    std::memcpy(out, data.data(), n);
    return n;
  }

 private:
  py::function read_;
};

// Owns the reader chain so that Target can hold one shared_ptr.
class DebuggerMemory : public MemoryReader {
 public:
  DebuggerMemory(py::function read, std::shared_ptr<ElfImage> executable)
      : base_(std::move(read)),
        probe_(base_),
        executable_(std::move(executable)),
        fallback_(probe_, *executable_),
        cache_(fallback_) {}
  size_t read(uint64_t address, void* out, size_t size) override {
    return cache_.read(address, out, size);
  }

 private:
  CallbackReader base_;
  PrefixProbingReader probe_;
  std::shared_ptr<ElfImage> executable_;
  ExecutableFallbackReader fallback_;
  CachedMemory cache_;
};

// A reader whose source is a core file read by someone else (LLDB): the
// file is only checked, for the warning a truncated one deserves.
class CheckedCoreReader : public MemoryReader {
 public:
  CheckedCoreReader(std::shared_ptr<MemoryReader> inner, std::optional<std::string> problem)
      : inner_(std::move(inner)), problem_(std::move(problem)) {}
  size_t read(uint64_t address, void* out, size_t size) override {
    return inner_->read(address, out, size);
  }
  std::optional<std::string> problem() const override { return problem_; }

 private:
  std::shared_ptr<MemoryReader> inner_;
  std::optional<std::string> problem_;
};

std::shared_ptr<Target> make_target(
    const std::string& executable, py::object read, std::optional<std::string> core,
    std::optional<int> pid, std::optional<FrameInput> frame, std::vector<ThreadInput> threads,
    std::optional<int64_t> clock_now, std::optional<std::string> checked_core,
    std::optional<int64_t> selected_tid, const std::string& debug_file,
    const std::map<int64_t, int64_t>& thread_numbers, std::optional<std::string> core_mismatch,
    bool mismatch_said) {
  auto binary = GoBinary::open(executable, debug_file);
  std::shared_ptr<MemoryReader> reader;
  if (core) {
    auto file = std::make_shared<CoreFile>(*core, binary->shared_image());
    // The core's own threads (NT_PRSTATUS). Selected: the debugger's
    // selected thread, else the first (the one that dumped).
    threads.clear();
    bool known = false;
    for (const CoreThread& t : file->threads()) known = known || (selected_tid == t.tid);
    for (const CoreThread& t : file->threads()) {
      ThreadInput input{t.tid, {}, known ? selected_tid == t.tid : threads.empty()};
      if (auto number = thread_numbers.find(t.tid); number != thread_numbers.end())
        input.number = number->second;
      input.registers = t.by_name(file->architecture());
      threads.push_back(std::move(input));
    }
    reader = file;
  } else if (pid) {
    reader = std::make_shared<ProcessMemory>(*pid);
  } else if (!read.is_none()) {
    reader = std::make_shared<DebuggerMemory>(read.cast<py::function>(), binary->shared_image());
    if (checked_core) {
      std::optional<std::string> problem;
      try {
        problem = CoreFile(*checked_core, nullptr).problem();
      } catch (const Error& e) {
        // The debugger reads the core; only our own check of it failed.
        problem = std::string("the core file could not be checked: ") + e.what();
      }
      reader = std::make_shared<CheckedCoreReader>(reader, problem);
    }
  } else {
    reader = binary->shared_image();  // the executable's static image only
  }
  auto target = std::make_shared<Target>(binary, reader, frame, std::move(threads));
  if (clock_now) target->set_clock_now(*clock_now);
  if (core_mismatch)
    target->set_core_mismatch(core_mismatch->empty() ? std::nullopt : std::move(core_mismatch),
                              mismatch_said);
  return target;
}

}  // namespace

void bind_target(py::module_& m) {
  m.def(
      "build_ids",
      [](const std::string& path) {
        BuildIds ids = read_build_ids(ElfFile(path));
        return py::make_tuple(ids.go, ids.gnu);
      },
      py::arg("path"),
      "(Go build ID, GNU build-id in hex) of an ELF file, each '' when it has none.");
  m.def("core_mismatch", &core_mismatch, py::arg("core"), py::arg("executable"),
        "One line saying that `core` was dumped by another program or build than "
        "`executable` (naming the one that did), or None.");
  py::class_<FrameInput>(m, "Frame")
      .def(py::init([](uint64_t pc, uint64_t sp, bool innermost,
                       std::map<std::string, uint64_t> registers, size_t inline_depth) {
             return FrameInput{pc, sp, innermost, std::move(registers), inline_depth};
           }),
           py::arg("pc"), py::arg("sp"), py::arg("innermost") = true,
           py::arg("registers") = std::map<std::string, uint64_t>{}, py::arg("inline_depth") = 0);

  py::class_<ThreadInput>(m, "Thread")
      .def(py::init([](int64_t tid, std::map<std::string, uint64_t> registers, bool selected,
                       std::optional<int64_t> number) {
             return ThreadInput{tid, std::move(registers), selected, number};
           }),
           py::arg("tid"), py::arg("registers"), py::arg("selected") = false,
           py::arg("number") = std::nullopt);

  py::class_<Target, std::shared_ptr<Target>>(m, "Target")
      .def(py::init(&make_target), py::arg("executable"), py::arg("read") = py::none(),
           py::arg("core") = std::nullopt, py::arg("pid") = std::nullopt,
           py::arg("frame") = std::nullopt, py::arg("threads") = std::vector<ThreadInput>{},
           py::arg("clock_now") = std::nullopt, py::arg("checked_core") = std::nullopt,
           py::arg("selected_tid") = std::nullopt, py::arg("debug_file") = "",
           py::arg("thread_numbers") = std::map<int64_t, int64_t>{},
           py::arg("core_mismatch") = std::nullopt, py::arg("mismatch_said") = false,
           "Memory comes from `core` (a core file), `pid` (/proc/PID/mem), `read` (a "
           "callable (address, size) -> bytes | None), or else the executable's image. "
           "`threads` are the OS threads (a core file brings its own; `selected_tid` picks the "
           "selected one among them; `thread_numbers` maps their ids to the debugger's thread "
           "numbers). `clock_now`: CLOCK_MONOTONIC now, for a live process on "
           "this host. `checked_core`: the core file `read` reads, checked only (a truncated "
           "one is warned about). `debug_file`: where DWARF and symbols come from when the "
           "executable is stripped (the same build: checked by build ID). `core_mismatch`: the "
           "front end's core_mismatch() of the core ('' when it matches), replacing the "
           "target's own check; `mismatch_said`: it was written already, warnings leave it out.");
}

}  // namespace gomapdbg::python
