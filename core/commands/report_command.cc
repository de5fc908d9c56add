#include "commands/report_command.h"

#include "commands/goroutine_format.h"
#include "commands/report_render.h"
#include "crash/crash_report.h"

namespace gomapdbg {

void report_command(Target& target, const ReportOptions& options, Output& out) {
  explain_errors(target, [&] {
    RuntimeSnapshot snapshot(target);
    CrashReportInputs inputs;
    inputs.fatal = options.fatal;
    inputs.recorded = options.recorded;
    inputs.watched_map = options.watched_map;
    inputs.watched = options.watched;
    CrashReport report = analyze_crash(target, snapshot, inputs);
    std::vector<std::string> warnings = runtime_warnings(target, snapshot);
    warnings.insert(warnings.end(), report.warnings.begin(), report.warnings.end());
    report.warnings = std::move(warnings);
    if (options.json)
      render_report_json(target, snapshot, report, options, out);
    else
      render_report_text(target, snapshot, report, options, out);
  });
}

}  // namespace gomapdbg
