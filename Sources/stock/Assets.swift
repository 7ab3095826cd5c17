import Allocation
import Foundation

/// Finds the shipped `assets/` folder, the one holding `demo/demo.jsonl`.
///
/// In order: `$STOCK_ASSETS` when it is set (then only there); the `assets/` folder of the checkout the executable
/// was built in (the folder holding the `.build` folder the executable is in, as `swift build` and `swift run`
/// leave it); `../share/stock/assets` beside the executable's folder, where `stock install` puts it
/// (`PREFIX/bin/stock` and `PREFIX/share/stock/assets`). The executable's real path counts, so a symbolic link to
/// it finds the same folder. An earlier install's `PREFIX/share/stock` itself is not looked in: that folder is
/// the data folder for `PREFIX=$HOME/.local`, and its old copies are stale.
enum Assets {
    /// The file that marks an assets folder.
    static let marker = "demo/demo.jsonl"

    /// The assets folder.
    ///
    /// - Throws: `InputError` naming every place looked in and how to make one of them hold the assets.
    static func folder(environment: [String: String], executable: String = CommandLine.executablePath) throws
        -> String
    {
        if let explicit = environment["STOCK_ASSETS"], !explicit.isEmpty {
            guard holdsAssets(explicit) else {
                throw InputError(
                    message: "cannot find \(marker) in $STOCK_ASSETS (\(explicit)); set STOCK_ASSETS to the folder "
                        + "that holds \(marker), or unset it")
            }
            return explicit
        }
        let places = candidates(executable: executable)
        if let found = places.first(where: holdsAssets) { return found }
        throw InputError(
            message: "cannot find stock's assets (\(marker)); looked in "
                + places.joined(separator: " and ") + " ($STOCK_ASSETS is not set); install stock with its assets "
                + "by running 'stock install' from a checkout, or set STOCK_ASSETS to the folder that holds " + marker)
    }

    /// The folders looked in when `$STOCK_ASSETS` is not set, in order.
    static func candidates(executable: String) -> [String] {
        let binary = URL(fileURLWithPath: executable)
        var places: [String] = []
        let components = binary.pathComponents
        if let build = components.lastIndex(of: ".build") {
            let checkout = NSString.path(withComponents: Array(components[..<build]))
            places.append(URL(fileURLWithPath: checkout).appendingPathComponent("assets").path)
        }
        let installed = binary.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/stock/assets")
        places.append(installed.standardizedFileURL.path)
        return places
    }

    private static func holdsAssets(_ folder: String) -> Bool {
        FileManager.default.fileExists(atPath: folder + "/" + marker)
    }
}

extension CommandLine {
    /// The running executable's real path: `/proc/self/exe`, else the first argument with symbolic links resolved.
    static var executablePath: String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return resolved
        }
        return URL(fileURLWithPath: arguments[0]).resolvingSymlinksInPath().path
    }
}
