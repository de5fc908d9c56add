// The error vocabulary of the core. Each maps to one Python exception class
// (see python/module.cc); messages are one line and say what to do.
#pragma once

#include <stdexcept>
#include <string>

namespace gomapdbg {

// Base of everything the core throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Inferior memory could not be read (unmapped, truncated core, bad pointer).
class MemoryError : public Error {
 public:
  using Error::Error;
};

// A name (variable, type, symbol) is not in the binary or frame.
class NotFoundError : public Error {
 public:
  using Error::Error;
};

// The binary or memory does not look like what the runtime would produce:
// a missing DWARF section, an unknown map layout, an absurd header field.
class LayoutError : public Error {
 public:
  using Error::Error;
};

// The kernel would not watch a live process with hardware breakpoints (no
// permission, no debug register free, no breakpoint PMU, process gone).
// Python sees it as gomapdbg_core.Error.
class WatchError : public Error {
 public:
  using Error::Error;
};

// The user's request is malformed (bad expression, option, type name).
class UsageError : public Error {
 public:
  using Error::Error;
};

}  // namespace gomapdbg
