// go report's two sinks over one crash report model (crash/crash_report.h):
// text for people, JSON for tools. Both take the snapshot the model was
// built from, so the goroutine section shows the same goroutines.
#pragma once

#include "commands/output.h"
#include "commands/report_command.h"
#include "crash/crash_report.h"
#include "runtime/goroutines.h"
#include "target/target.h"

namespace gomapdbg {

void render_report_text(Target& target, const RuntimeSnapshot& snapshot, const CrashReport& report,
                        const ReportOptions& options, Output& out);
void render_report_json(Target& target, const RuntimeSnapshot& snapshot, const CrashReport& report,
                        const ReportOptions& options, Output& out);

// The bucket or group holding the conflicting key (go map --key's view),
// with where a key of its hash goes when it is absent.
void write_key_bucket(Target& target, const CrashReport& report, Output& out);

}  // namespace gomapdbg
