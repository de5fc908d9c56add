#include "commands/blocked_on.h"

#include "errors.h"
#include "memory/memory.h"
#include "runtime/semaphores.h"
#include "target/value_address.h"
#include "values/sync_primitives.h"

namespace gomapdbg {

BlockedOn::BlockedOn(Target& target, const std::string& expression) : expression_(expression) {
  if (!target.binary().dwarf().present())
    throw LayoutError(
        "--blocked-on needs DWARF (the mutex's type, runtime.semtable, runtime.sudog); " +
        std::string("this binary has none"));
  // An ADDRESS alone is a sync.Mutex's; an expression says its type.
  LocatedValue located = locate_value(target, expression, "sync.Mutex");
  std::vector<SemaphoreField> fields = semaphore_fields(*located.type);
  if (fields.empty())
    throw UsageError(expression + " is " + with_article(located.type->name) +
                     ", not a sync.Mutex or sync.RWMutex");
  type_ = located.type->name;
  address_ = located.address;
  for (const SemaphoreField& f : fields) semaphores_.push_back({f.name, address_ + f.offset});
  SemaWaiters waiters = semaphore_waiters(target);
  warnings_ = std::move(waiters.warnings);
  for (const SemaWaiter& w : waiters.waiters)
    for (size_t i = 0; i < semaphores_.size(); ++i)
      if (w.sema == semaphores_[i].address) by_g_.emplace(w.g, i);
}

const SemaphoreAt* BlockedOn::semaphore_of(const Goroutine& g) const {
  auto it = by_g_.find(g.g);
  return it == by_g_.end() ? nullptr : &semaphores_[it->second];
}

std::string BlockedOn::describe() const {
  return expression_ + " (" + type_ + " at " + hex(address_) + ")";
}

std::string BlockedOn::suffix(const Goroutine& g) const {
  const SemaphoreAt* s = semaphore_of(g);
  return s ? ", on " + s->field + " " + hex(s->address) : "";
}

void BlockedOn::json(JsonWriter& json) const {
  json.begin_object()
      .field("expression", expression_)
      .field("type", type_)
      .address_field("address", address_);
  json.key("semaphores").begin_array();
  for (const SemaphoreAt& s : semaphores_)
    json.begin_object().field("field", s.field).address_field("address", s.address).end_object();
  json.end_array().end_object();
}

void BlockedOn::json_semaphore(JsonWriter& json, const Goroutine& g) const {
  const SemaphoreAt* s = semaphore_of(g);
  json.key("semaphore");
  if (!s) {
    json.null();
    return;
  }
  json.begin_object().field("field", s->field).address_field("address", s->address).end_object();
}

}  // namespace gomapdbg
