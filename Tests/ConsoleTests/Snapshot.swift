import Foundation
import Glibc
import Testing

@testable import Console

/// Rendering tests measure widths with `wcwidth`, which needs a UTF-8 `LC_CTYPE` like the console's terminal.
func useUTF8Locale() {
    setlocale(LC_ALL, "C.UTF-8")
}

/// Compares `text` with `Snapshots/<name>.txt`; a mismatch is reported with the differing lines.
///
/// `RECORD_SNAPSHOTS=1` writes the file instead and fails the test saying so, so a recording run is never green;
/// the next run without it compares.
func assertSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let file = folder.appendingPathComponent("\(name).txt")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try (text + "\n").write(to: file, atomically: true, encoding: .utf8)
            Issue.record(
                "recorded snapshot \(name).txt; run again without RECORD_SNAPSHOTS to compare",
                sourceLocation: sourceLocation)
        } catch {
            Issue.record("could not record snapshot \(file.path): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard let recorded = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record("no snapshot \(file.path); record it with RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
        return
    }
    let expected = recorded.hasSuffix("\n") ? String(recorded.dropLast()) : recorded
    guard expected != text else { return }
    let want = expected.components(separatedBy: "\n")
    let got = text.components(separatedBy: "\n")
    var diff: [String] = []
    for index in 0..<max(want.count, got.count) {
        let a = index < want.count ? want[index] : "<none>"
        let b = index < got.count ? got[index] : "<none>"
        if a != b { diff.append("line \(index + 1):\n  - \(a)\n  + \(b)") }
    }
    let report = diff.joined(separator: "\n")
    Issue.record("screen differs from \(name).txt:\n\(report)", sourceLocation: sourceLocation)
}
