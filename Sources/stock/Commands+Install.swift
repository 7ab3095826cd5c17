import Allocation
import Foundation

extension Subcommand {
    static let install = Subcommand(
        name: "install",
        options: [
            .valued("--prefix", "PREFIX", "where to install (default $HOME/.local; /usr/local for every user)")
        ],
        abstract: "install this stock and its assets under a prefix, or upgrade an earlier install",
        details: """
            Copies this stock to PREFIX/bin/stock and its assets folder (the demo data set, the CSV samples and
            the settings files) to PREFIX/share/stock/assets, replacing the earlier ones there: run it again to
            upgrade. Those two are all it replaces. Databases live in $XDG_DATA_HOME/stock
            (~/.local/share/stock), beside the assets folder for PREFIX=$HOME/.local, and are never touched; stock
            refuses to keep a database inside the assets folder. An assets folder holding files no install shipped
            is not replaced: they are named and nothing changes (exit 2). Each part is copied beside its place
            first and renamed into it, so a failed install leaves the earlier one working (exit 3).
              swift run -c release stock install                        for your user alone
              sudo .build/release/stock install --prefix /usr/local     for every user of the machine
            """
    ) { try $0.install() }
}

extension Tool {
    /// `stock install [--prefix PREFIX]`: see ``Subcommand/install``.
    func install() throws -> ExitStatus {
        let prefix: String
        if let given = arguments.options["--prefix"] {
            guard !given.isEmpty else { throw UsageError(message: "--prefix needs a folder") }
            prefix = given
        } else {
            guard let home = environment["HOME"], !home.isEmpty else {
                throw UsageError(message: "install needs --prefix PREFIX: HOME is not set for the default $HOME/.local")
            }
            prefix = home + "/.local"
        }
        let installer = Installer(
            prefix: URL(fileURLWithPath: prefix).standardizedFileURL, binary: CommandLine.executablePath,
            assets: try Assets.folder(environment: environment), environment: environment)
        for line in try installer.install() { print(line) }
        return .done
    }
}
