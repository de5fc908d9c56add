#include "values/sync_primitives.h"

#include "memory/memory.h"
#include "values/value_access.h"
#include "values/value_decoder.h"

namespace gomapdbg {

namespace {

// mutexLocked, mutexWoken, mutexStarving and mutexWaiterShift (go1.19–go1.27).
constexpr int32_t kMutexLocked = 1, kMutexWoken = 2, kMutexStarving = 4;
constexpr int kMutexWaiterShift = 3;

// The type's name without its package path: "sync/atomic.Int64" and a
// descriptor's "atomic.Int64" are both "atomic.Int64".
std::string short_name(const std::string& name) {
  size_t bracket = name.find('[');
  size_t slash = name.rfind('/', bracket);
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// Whether `size` bytes at `offset` lie inside `type`'s bytes (a type
// decoded from a damaged descriptor could place a field past its end).
std::optional<uint64_t> inside(const GoType& type, uint64_t offset, uint64_t size) {
  if (offset > type.size || size > type.size - offset) return std::nullopt;
  return offset;
}

// A field `name` at the top of `type` or inside its `mu` (go1.24+ Mutex).
std::optional<uint64_t> mutex_field(const GoType& type, const char* name) {
  if (auto offset = type.field_offset(name)) return inside(type, *offset, 4);
  const GoField* mu = type.field("mu");
  if (!mu || !mu->type) return std::nullopt;
  auto inner = mu->type->field_offset(name);
  if (!inner) return std::nullopt;
  return inside(type, mu->offset + *inner, 4);
}

// An int32 field, plain (go1.19) or an atomic.Int32 ({_ noCopy; v int32}).
std::optional<uint64_t> int32_field(const GoType& type, const char* name) {
  const GoField* f = type.field(name);
  if (!f || !f->type) return std::nullopt;
  if (f->type->kind != GoKind::Struct)
    return f->type->size == 4 ? inside(type, f->offset, 4) : std::nullopt;
  const GoField* v = f->type->field("v");
  if (!v || !v->type || v->type->size != 4) return std::nullopt;
  return inside(type, f->offset + v->offset, 4);
}

const GoField* value_field(const GoType& type) {
  const GoField* v = type.field("v");
  return v && v->type && inside(type, v->offset, v->type->size) ? v : nullptr;
}

bool is_mutex(const GoType& type) {
  std::string name = short_name(type.name);
  return (name == "sync.Mutex") && mutex_field(type, "state") && mutex_field(type, "sema");
}

}  // namespace

SyncKind sync_kind(const GoType& type) {
  if (type.kind != GoKind::Struct) return SyncKind::None;
  std::string name = short_name(type.name);
  if (is_mutex(type)) return SyncKind::Mutex;
  if (name == "sync.RWMutex") {
    const GoField* w = type.field("w");
    bool shaped = w && w->type && is_mutex(*w->type) && inside(type, w->offset, w->type->size) &&
                  int32_field(type, "readerCount") && int32_field(type, "readerWait");
    return shaped ? SyncKind::RWMutex : SyncKind::None;
  }
  // DWARF names the package by its path, a type descriptor by its name.
  bool atomic_package =
      type.name == name ? starts_with(name, "atomic.") : starts_with(type.name, "sync/atomic.");
  if (!atomic_package) return SyncKind::None;
  const GoField* v = value_field(type);
  if (!v) return SyncKind::None;
  if (starts_with(name, "atomic.Pointer["))
    return v->type->kind == GoKind::UnsafePointer && atomic_pointer_type(type)
               ? SyncKind::AtomicPointer
               : SyncKind::None;
  if (name == "atomic.Value")
    return v->type->kind == GoKind::Interface ? SyncKind::AtomicValue : SyncKind::None;
  if (name == "atomic.Bool") return v->type->size == 4 ? SyncKind::AtomicBool : SyncKind::None;
  bool number = name == "atomic.Int32" || name == "atomic.Int64" || name == "atomic.Uint32" ||
                name == "atomic.Uint64" || name == "atomic.Uintptr";
  return number && (v->type->is_signed_int() || v->type->is_unsigned_int()) ? SyncKind::AtomicNumber
                                                                            : SyncKind::None;
}

MutexState decode_mutex_state(int32_t state) {
  MutexState m;
  m.state = state;
  m.locked = state & kMutexLocked;
  m.woken = state & kMutexWoken;
  m.starving = state & kMutexStarving;
  m.waiters = static_cast<uint32_t>(state) >> kMutexWaiterShift;
  return m;
}

std::optional<MutexState> read_mutex(const GoType& type, const uint8_t* p) {
  auto state = mutex_field(type, "state");
  if (!state) return std::nullopt;
  return decode_mutex_state(load<int32_t>(p + *state));
}

std::optional<RWMutexState> read_rwmutex(const GoType& type, const uint8_t* p) {
  const GoField* w = type.field("w");
  auto count = int32_field(type, "readerCount");
  auto wait = int32_field(type, "readerWait");
  if (!w || !w->type || !count || !wait) return std::nullopt;
  auto mutex = read_mutex(*w->type, p + w->offset);
  if (!mutex) return std::nullopt;
  return RWMutexState{*mutex, load<int32_t>(p + *count), load<int32_t>(p + *wait)};
}

std::vector<SemaphoreField> semaphore_fields(const GoType& type) {
  switch (sync_kind(type)) {
    case SyncKind::Mutex:
      return {{"sema", *mutex_field(type, "sema")}};
    case SyncKind::RWMutex: {
      const GoField* w = type.field("w");
      std::vector<SemaphoreField> out{{"w.sema", w->offset + *mutex_field(*w->type, "sema")}};
      for (const char* name : {"writerSem", "readerSem"})
        if (auto offset = type.field_offset(name)) out.push_back({name, *offset});
      return out;
    }
    default:
      return {};
  }
}

const GoType* atomic_pointer_type(const GoType& type) {
  // The first field, `_ [0]*T`, carries T for the type checker.
  for (const GoField& f : type.fields)
    if (f.type && f.type->kind == GoKind::Array && f.type->length == 0 && f.type->elem &&
        f.type->elem->kind == GoKind::Pointer)
      return f.type->elem;
  return nullptr;
}

// The hook of ValueDecoder::decode: a sync or sync/atomic value shown as
// what it holds (atomics) or as its decoded state (mutexes).
bool ValueDecoder::decode_sync_primitive(const GoType& type, const uint8_t* p, int depth) {
  SyncKind kind = sync_kind(type);
  if (kind == SyncKind::None) return false;
  const GoField* v = value_field(type);
  switch (kind) {
    case SyncKind::Mutex:
      sink_.mutex(type, *read_mutex(type, p));
      return true;
    case SyncKind::RWMutex:
      sink_.rwmutex(type, *read_rwmutex(type, p));
      return true;
    case SyncKind::AtomicPointer:
      decode_pointer(*atomic_pointer_type(type), load<uint64_t>(p + v->offset), depth);
      return true;
    case SyncKind::AtomicValue:
    case SyncKind::AtomicNumber:
      decode(*v->type, p + v->offset, depth);
      return true;
    case SyncKind::AtomicBool:
      sink_.boolean(load<uint32_t>(p + v->offset) != 0);
      return true;
    case SyncKind::None:
      break;
  }
  return false;
}

}  // namespace gomapdbg
