import Foundation

/// Finds the shipped `assets/` folder: `$STOCK_ASSETS`, else the nearest `assets/` above the executable
/// (the package checkout it was built in), else `../share/stock` beside an installed binary.
enum Assets {
    static func folder(environment: [String: String]) -> String? {
        let marker = "demo/demo.jsonl"
        if let explicit = environment["STOCK_ASSETS"], !explicit.isEmpty {
            return explicit
        }
        var directory = URL(fileURLWithPath: CommandLine.executablePath).deletingLastPathComponent()
        for _ in 0..<8 {
            let candidate = directory.appendingPathComponent("assets")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(marker).path) {
                return candidate.path
            }
            let installed = directory.appendingPathComponent("share/stock")
            if FileManager.default.fileExists(atPath: installed.appendingPathComponent(marker).path) {
                return installed.path
            }
            directory.deleteLastPathComponent()
        }
        return nil
    }
}

extension CommandLine {
    /// The running executable, resolved through `/proc/self/exe` where there is one.
    static var executablePath: String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return resolved
        }
        return URL(fileURLWithPath: arguments[0]).standardizedFileURL.path
    }
}
