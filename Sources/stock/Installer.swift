import Allocation
import Foundation

/// Installs the running `stock` and its assets under a prefix, or upgrades an earlier install there.
///
/// The install owns these and replaces only them: the file `PREFIX/bin/stock`, the folder
/// `PREFIX/share/stock/assets`, and the completion scripts and the manual page it writes (``shellFiles``). It
/// never removes or overwrites anything else, so the databases in `$XDG_DATA_HOME/stock` (which is
/// `PREFIX/share/stock` for `PREFIX=$HOME/.local`) sit beside the assets folder, untouched. The assets folder is
/// replaced only when it holds nothing but what an install shipped (the list it wrote there, ``manifestName``, or
/// the files being installed now): anything else in it is named and the install refused with nothing changed.
/// Each is written beside its place first and then renamed into it, so a failed install leaves the old ones, and
/// a running `stock` keeps its file.
struct Installer {
    /// The list of the files an install put in the assets folder, one relative path a line.
    static let manifestName = ".installed-files"

    let prefix: URL
    /// The executable to install (the running one).
    let binary: String
    /// The assets folder to install.
    let assets: String
    let environment: [String: String]

    var binaryTarget: URL { prefix.appendingPathComponent("bin/stock") }
    var shareFolder: URL { prefix.appendingPathComponent("share/stock") }
    var assetsTarget: URL { shareFolder.appendingPathComponent("assets") }

    /// Runs the install and returns what it did, a line each.
    ///
    /// - Throws: `InputError` for a refusal (nothing changed); `InstallFailure` when the file system refused a step.
    func install() throws -> [String] {
        let shipped = try Self.files(in: URL(fileURLWithPath: assets))
        guard shipped.contains(AssetsFolder.markerName) else {
            throw InputError(
                message: "\(assets) is not stock's assets folder: it has no \(AssetsFolder.markerName); "
                    + "install from a checkout of stock")
        }
        try refuseDataInsideAssets()
        let sameAssets = Self.samePlace(assets, assetsTarget.path)
        if !sameAssets { try refuseForeignFiles(shipped: shipped) }
        try refuseFolder(at: binaryTarget.path)
        for file in shellFiles { try refuseFolder(at: file.target.path, installing: file.name) }

        // The assets first: a binary that fails to go in then leaves the earlier one, which still finds its own.
        var report: [String] = []
        if sameAssets {
            report.append("\(assetsTarget.path) is the assets folder this stock uses: kept as it is")
        } else {
            let replaced = try installAssets(shipped: shipped)
            report.append(
                "installed the assets in \(assetsTarget.path)" + (replaced ? " (the previous ones replaced)" : ""))
        }
        report += try installShellFiles()
        if Self.samePlace(binary, binaryTarget.path) {
            report.append("\(binaryTarget.path) is the running stock: kept as it is")
        } else {
            try installBinary()
            report.insert("installed stock \(Tool.version) as \(binaryTarget.path)", at: 0)
        }
        report += notesOnWhatStays()
        return report
    }

    // MARK: Refusals, checked before anything changes

    /// The default data folder, or `$STOCK_DB`, inside the assets folder would be deleted by the next upgrade.
    private func refuseDataInsideAssets() throws {
        let defaultDatabase = Settings.defaultDatabasePath(environment: environment)
        let databases = [defaultDatabase] + [environment["STOCK_DB"]].compactMap { $0 }.filter { !$0.isEmpty }
        for database in databases where DatabaseLocation(database).filePath != nil {
            let folder = URL(fileURLWithPath: database).deletingLastPathComponent().path
            if Self.isInside(folder, assetsTarget.path) {
                throw InputError(
                    message: "cannot install the assets in \(assetsTarget.path): the database \(database) would be "
                        + "inside it, and an upgrade replaces that folder whole; choose another --prefix or "
                        + "XDG_DATA_HOME")
            }
        }
    }

    /// Anything in the assets folder that no install shipped is someone's: the folder is then not replaced.
    private func refuseForeignFiles(shipped: Set<String>) throws {
        var isFolder: ObjCBool = false
        let path = assetsTarget.path
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) || Self.isLink(path) else {
            return
        }
        guard isFolder.boolValue, !Self.isLink(path) else {
            throw InputError(message: "cannot install the assets: \(path) is there and is not a folder; move it away")
        }
        let present = try Self.files(in: assetsTarget)
        let manifest =
            (try? String(contentsOf: assetsTarget.appendingPathComponent(Self.manifestName), encoding: .utf8))
            .map { Set($0.split(separator: "\n").map(String.init)) } ?? []
        let foreign = present.subtracting(shipped).subtracting(manifest).subtracting([Self.manifestName]).sorted()
        guard foreign.isEmpty else {
            let named = foreign.prefix(5).map { path + "/" + $0 }.joined(separator: ", ")
            let more = foreign.count > 5 ? " and \(foreign.count - 5) more" : ""
            throw InputError(
                message: "cannot replace \(path): it holds files stock did not ship (\(named)\(more)), and an "
                    + "upgrade replaces that folder whole; move them out of it, then install again. Nothing was "
                    + "changed")
        }
    }

    private func refuseFolder(at path: String, installing name: String = "stock") throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw InputError(message: "cannot install \(name) as \(path): a folder is there; move it away")
        }
    }

    /// The completion scripts and the manual page, each with what it holds (as `stock completions` and `stock help
    /// --man` print it, but the last newline): made by this stock from its subcommand table, and replaced whole,
    /// as the binary is, by every install.
    var shellFiles: [(name: String, target: URL, contents: String)] {
        Subcommand.Shell.allCases.map {
            ("the \($0.rawValue) completions", prefix.appendingPathComponent($0.installedPath), $0.script)
        } + [("the manual page", manualTarget, Manual.page)]
    }

    var manualTarget: URL { prefix.appendingPathComponent("share/man/man1/stock.1") }

    // MARK: Steps

    /// Writes each of ``shellFiles`` beside its place and renames it into it (mode 0644).
    private func installShellFiles() throws -> [String] {
        for (_, target, contents) in shellFiles {
            let folder = target.deletingLastPathComponent()
            try makeFolders(folder)
            let staged = folder.appendingPathComponent(".\(target.lastPathComponent)-new-\(getpid())")
            do {
                try step("write \(staged.path)") { try Data((contents + "\n").utf8).write(to: staged) }
                try setMode(0o644, of: staged.path)
                try rename(staged.path, to: target.path)
            } catch {
                try? FileManager.default.removeItem(at: staged)
                throw error
            }
        }
        let scripts = Subcommand.Shell.allCases.map { $0.installedPath.dropFirst("share/".count) }
        return [
            "installed the completions for bash, zsh and fish in \(prefix.path)/share: "
                + scripts.joined(separator: ", "),
            "installed the manual page as \(manualTarget.path) (man stock)",
        ]
    }

    private func installBinary() throws {
        let folder = binaryTarget.deletingLastPathComponent()
        try makeFolders(folder)
        let staged = folder.appendingPathComponent(".stock-new-\(getpid())")
        try? FileManager.default.removeItem(at: staged)
        do {
            try step("copy \(binary) to \(staged.path)") {
                try FileManager.default.copyItem(atPath: binary, toPath: staged.path)
            }
            try setMode(0o755, of: staged.path)
            try rename(staged.path, to: binaryTarget.path)
        } catch {
            try? FileManager.default.removeItem(at: staged)
            throw error
        }
    }

    /// Copies the assets beside their place, then swaps them in; returns whether an earlier copy was replaced.
    private func installAssets(shipped: Set<String>) throws -> Bool {
        try makeFolders(shareFolder)
        let staged = shareFolder.appendingPathComponent(".assets-new-\(getpid())")
        let previous = shareFolder.appendingPathComponent(".assets-old-\(getpid())")
        try? FileManager.default.removeItem(at: staged)
        do {
            try step("copy \(assets) to \(staged.path)") {
                try FileManager.default.copyItem(atPath: assets, toPath: staged.path)
            }
            let manifest = shipped.sorted().joined(separator: "\n") + "\n"
            try step("write \(staged.path)/\(Self.manifestName)") {
                try Data(manifest.utf8).write(to: staged.appendingPathComponent(Self.manifestName))
            }
            // Readable by every user whatever the umask or the checkout's own modes: a private checkout's 0700
            // folders would otherwise hide a system-wide install's assets from everybody but its owner.
            try setMode(0o755, of: staged.path)
            for file in try Self.entries(in: staged) {
                try setMode(file.isFolder ? 0o755 : 0o644, of: staged.appendingPathComponent(file.path).path)
            }
        } catch {
            try? FileManager.default.removeItem(at: staged)
            throw error
        }
        let replacing = FileManager.default.fileExists(atPath: assetsTarget.path)
        if replacing {
            try? FileManager.default.removeItem(at: previous)
            try rename(assetsTarget.path, to: previous.path)
        }
        do {
            try rename(staged.path, to: assetsTarget.path)
        } catch {
            if replacing { try? rename(previous.path, to: assetsTarget.path) }
            try? FileManager.default.removeItem(at: staged)
            throw error
        }
        if replacing { try? FileManager.default.removeItem(at: previous) }
        return replacing
    }

    /// What the install left alone and a user may wonder about: databases beside the assets, an earlier layout's
    /// assets, and a `bin` folder that is not on `PATH`.
    private func notesOnWhatStays() -> [String] {
        var notes: [String] = []
        let beside = (try? FileManager.default.contentsOfDirectory(atPath: shareFolder.path)) ?? []
        let databases = beside.filter { $0.hasSuffix(".sqlite") }.sorted()
        if !databases.isEmpty {
            notes.append(
                "kept your databases where they are, in \(shareFolder.path): " + databases.joined(separator: ", "))
        }
        let earlier = ["demo", "samples", "settings"].filter { beside.contains($0) }
        if !earlier.isEmpty {
            notes.append(
                "an earlier install's assets are still in \(shareFolder.path) (" + earlier.joined(separator: ", ")
                    + "): this stock reads only \(assetsTarget.path) and removes nothing it did not ship; delete "
                    + "them when you like")
        }
        let bin = binaryTarget.deletingLastPathComponent().path
        let path = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        if !path.contains(bin) { notes.append("\(bin) is not on PATH: add it, or run \(binaryTarget.path)") }
        return notes
    }

    // MARK: File system

    private func step(_ what: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch {
            throw InstallFailure(message: "cannot \(what): \(Self.reason(error))")
        }
    }

    /// Makes `folder` and the folders above it that are missing (mode 0755), as `mkdir -p` does, saying which one
    /// could not be made and why.
    private func makeFolders(_ folder: URL) throws {
        var missing: [URL] = []
        var next = folder
        while !FileManager.default.fileExists(atPath: next.path), next.path != "/" {
            missing.insert(next, at: 0)
            next.deleteLastPathComponent()
        }
        for made in missing where mkdir(made.path, 0o755) != 0 && errno != EEXIST {
            let hint = errno == EACCES || errno == EPERM ? " (sudo for a system-wide prefix)" : ""
            throw InstallFailure(
                message: "cannot make the folder \(made.path): \(String(cString: strerror(errno)))\(hint)")
        }
    }

    private func setMode(_ mode: mode_t, of path: String) throws {
        guard chmod(path, mode) == 0 else {
            throw InstallFailure(message: "cannot set the mode of \(path): \(String(cString: strerror(errno)))")
        }
    }

    private func rename(_ from: String, to: String) throws {
        guard Foundation.rename(from, to) == 0 else {
            throw InstallFailure(
                message: "cannot move \(from) to \(to): \(String(cString: strerror(errno))); "
                    + "run as a user who may write there (sudo for a system-wide prefix)")
        }
    }

    /// The relative paths of the files (not folders) below `folder`.
    static func files(in folder: URL) throws -> Set<String> {
        Set(try entries(in: folder).filter { !$0.isFolder }.map(\.path))
    }

    private static func entries(in folder: URL) throws -> [(path: String, isFolder: Bool)] {
        let paths: [String]
        do {
            paths = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
        } catch {
            throw InstallFailure(message: "cannot read \(folder.path): \(reason(error))")
        }
        return paths.map { relative in
            var isFolder: ObjCBool = false
            let full = folder.appendingPathComponent(relative).path
            let exists = FileManager.default.fileExists(atPath: full, isDirectory: &isFolder)
            return (relative, exists && isFolder.boolValue && !isLink(full))
        }
    }

    private static func isLink(_ path: String) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
    }

    /// Whether two paths name one file or folder, by their real paths (``AssetsFolder/realPath(_:)``).
    static func samePlace(_ one: String, _ other: String) -> Bool {
        AssetsFolder.realPath(one) == AssetsFolder.realPath(other)
    }

    /// Whether `path` is `folder` or below it, by real paths, whether or not either exists yet.
    private static func isInside(_ path: String, _ folder: String) -> Bool {
        let resolved = AssetsFolder.realPath(path)
        let container = AssetsFolder.realPath(folder)
        return resolved == container || resolved.hasPrefix(container + "/")
    }

    private static func reason(_ error: any Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let underlying, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return (error as NSError).localizedDescription
    }
}

/// A step of an install the file system refused; what was made for that step is removed.
struct InstallFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
