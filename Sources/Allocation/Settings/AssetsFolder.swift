import Foundation

/// The folder of shipped files (the demo data set, samples, settings) that an install or upgrade replaces whole.
///
/// It is marked by a file of its own, ``markerName``, shipped in the checkout's `assets/` and so in every
/// installed copy. Since an upgrade removes the old copy, no database may live in it or below it: ``refuseData(at:)``
/// is asked before any database file is opened or made (and before an export is written), so a `--db`,
/// `$STOCK_DB` or `database` setting that points there is refused before a file exists.
public enum AssetsFolder {
    /// The name of the file that marks an assets folder; its text tells a person browsing the folder the same.
    public static let markerName = "STOCK-ASSETS.txt"

    /// The assets folder holding `path` (the folder at `path` itself, or one above it), by real paths, so a
    /// symbolic link into the folder is seen through; nil when no folder above `path` is marked.
    public static func enclosing(_ path: String) -> String? {
        var folder = URL(fileURLWithPath: realPath(path))
        while true {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(markerName).path) {
                return folder.path
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    /// Refuses a file of data (a database, an export) at `path` inside an assets folder.
    ///
    /// - Throws: `SettingsError` naming the path, the folder and where data belongs instead.
    public static func refuseData(at path: String) throws {
        guard let folder = enclosing(path) else { return }
        throw SettingsError(
            message: "\(path) is inside stock's assets folder \(folder), which every install or upgrade replaces "
                + "whole; keep your data elsewhere (databases belong in $XDG_DATA_HOME/stock, ~/.local/share/stock)")
    }

    /// `path` made absolute, with its existing part's symbolic links resolved and the rest, not made yet, appended
    /// as it is: where a file made at `path` would really be.
    public static func realPath(_ path: String) -> String {
        var existing = URL(fileURLWithPath: path).standardizedFileURL
        var missing: [String] = []
        while existing.path != "/", !FileManager.default.fileExists(atPath: existing.path) {
            missing.insert(existing.lastPathComponent, at: 0)
            existing.deleteLastPathComponent()
        }
        var resolved = existing.resolvingSymlinksInPath()
        for component in missing { resolved.appendPathComponent(component) }
        return resolved.path
    }
}
