#include "commands/bucket_view.h"

namespace gomapdbg {

namespace {

constexpr uint64_t kMaxPictureCells = 4096;

bool classic_live(uint8_t top) { return top >= runtime::kMinTopHash; }
bool swiss_live(uint8_t ctrl) { return !(ctrl & runtime::kCtrlEmpty); }

const char* classic_marker(uint8_t top) {
  switch (top) {
    case runtime::kEmptyRest:
      return "emptyRest";
    case runtime::kEmptyOne:
      return "emptyOne";
    case runtime::kEvacuatedX:
      return "evacuatedX";
    case runtime::kEvacuatedY:
      return "evacuatedY";
    case runtime::kEvacuatedEmpty:
      return "evacuatedEmpty";
    default:
      return nullptr;
  }
}

const char* swiss_marker(uint8_t ctrl) {
  if (ctrl == runtime::kCtrlEmpty) return "empty";
  if (ctrl == runtime::kCtrlDeleted) return "deleted";
  return nullptr;
}

SlotView classify(const BucketView& b, bool swiss, uint8_t c) {
  SlotView slot;
  slot.control = c;
  slot.marker = swiss ? swiss_marker(c) : classic_marker(c);
  if (swiss ? swiss_live(c) : classic_slot_read(b, c))
    slot.state = SlotView::State::Live;
  else if (b.copies_only && classic_live(c))  // shown, counted where the walk reads it
    slot.state = SlotView::State::Copy;
  else
    slot.state = slot.marker ? SlotView::State::Marked : SlotView::State::Invalid;
  return slot;
}

}  // namespace

UnitView decode_unit(MapWalker& walker, const BucketView& bucket, bool swiss) {
  UnitView u{bucket, swiss, {}, 0, 0, walker};
  for (int s = 0; s < runtime::kSlotsPerBucket; ++s) {
    uint8_t c = bucket.control[s];
    u.slots[s] = classify(bucket, swiss, c);
    u.live += u.slots[s].state == SlotView::State::Live;
    u.tombstones += swiss ? c == runtime::kCtrlDeleted : c == runtime::kEmptyOne;
  }
  return u;
}

void BucketStats::table(const TableView& t) {
  if (t.replacing)
    ++installing;
  else
    ++tables;
}

void BucketStats::unit(const UnitView& u) {
  const BucketView& b = u.bucket;
  live += u.live;
  tombstones += u.tombstones;
  if (swiss) {
    ++units;
    ++fill[u.live];
    add_cell(u.live ? char('0' + u.live) : '.');
    return;
  }
  if (b.old && b.chain_position == 0) {
    ++old_seen;
    if (b.being_evacuated) being_evacuated.push_back(b.index);
  }
  if (b.evacuated) {
    ++evacuated;
    ++units;
    add_cell('x');
    return;
  }
  if (b.chain_position == 0) {
    if (chain_) close_chain();
    ++units;
    chain_ = 1;
    chain_live_ = u.live;
  } else {
    ++overflow;
    ++chain_;
    chain_live_ += u.live;
  }
  ++fill[u.live];
}

void BucketStats::finish() {
  if (chain_) close_chain();
}

void BucketStats::close_chain() {
  ++chains[chain_];
  char cell = chain_live_ == 0 ? '.' : chain_ > 1 ? '+' : char('0' + chain_live_);
  add_cell(cell);
  chain_ = 0;
}

void BucketStats::add_cell(char c) {
  if (picture.size() < kMaxPictureCells) picture += c;
}

}  // namespace gomapdbg
