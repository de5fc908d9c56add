// pprof labels of a goroutine (g.labels, set by pprof.Do/SetGoroutineLabels).
// The representation changed (reference §5.6):
//   go1.19–1.23: *labelMap, labelMap = map[string]string
//   go1.24+:     *labelMap = struct{ LabelSet }, LabelSet{ list []label{key, value string} }
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "target/target.h"

namespace gomapdbg {

using Labels = std::vector<std::pair<std::string, std::string>>;

// The labels at g.labels (nonzero); throws MemoryError/LayoutError when
// they cannot be read. Bounded: at most kMaxLabels, strings capped.
Labels read_labels(Target& target, uint64_t labels);

// "k1=v1 k2=v2" (values quoted as Go strings when needed), or the reason
// they could not be read.
std::string format_labels(Target& target, uint64_t labels);

}  // namespace gomapdbg
