import Foundation
import TestSupport
import Testing

@testable import stock

/// `stock help --man`: the manual page made from the subcommand table, checked for what it must say and rendered
/// by the tools that show it.
@Suite struct ManualPageTests {
    static func page() throws -> String {
        let result = try StockProcess.run(["help", "--man"])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    /// The page as `man` shows it at `width` columns, plain text: what a reader sees.
    static func rendered(_ page: String, width: Int = 100) throws -> String {
        let folder = try TemporaryFolder()
        let file = folder.appendingPathComponent("stock.1").path
        try Data(page.utf8).write(to: URL(fileURLWithPath: file))
        // man-db formats for a pipe without overstriking or escape sequences.
        let result = try runProcess(
            "/usr/bin/man", ["-l", file],
            environment: StockProcess.environment([
                "MANWIDTH": String(width), "MAN_KEEP_FORMATTING": "", "LC_ALL": "C.UTF-8",
            ]))
        return result.stdout
    }

    static var hasMan: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/man") }
    static var hasGroff: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/groff") }

    @Test func thePageHasTheSectionsAManPageHas() throws {
        let page = try Self.page()
        #expect(page.hasPrefix(".TH STOCK 1 "))
        for section in [
            "NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "GLOBAL OPTIONS", "ENVIRONMENT", "EXIT STATUS", "FILES",
        ] {
            #expect(page.contains("\n.SH \(section)\n"), "\(section)")
        }
        #expect(page.contains(".SH NAME\nstock \\- stock allocation for a warehouse, in a terminal\n"))
    }

    /// Every subcommand with its usage, and every option of each and of the global ones, with its placeholder;
    /// each exit status and the environment variables stock reads.
    @Test(.enabled(if: hasMan, "man (man-db) is not installed: the rendered page cannot be read"))
    func everySubcommandAndOptionIsInIt() throws {
        let text = try Self.rendered(try Self.page())
        for subcommand in Subcommand.all {
            #expect(text.contains(subcommand.usage), "\(subcommand.usage)")
        }
        for option in Subcommand.global + ([Subcommand.console] + Subcommand.all).flatMap(\.options) {
            #expect(
                text.contains("       " + option.usage) || text.contains("       \(option.usage) "), "\(option.name)")
        }
        for (status, _) in Manual.exitStatuses {
            #expect(text.contains("\n       \(status.rawValue)      "), "exit status \(status.rawValue)")
        }
        for variable in ["STOCK_DB", "STOCK_SETTINGS", "STOCK_USER", "NO_COLOR", "STOCK_REFRESH_MS"] {
            #expect(text.contains("\n       \(variable)\n"), "\(variable)")
        }
        #expect(!text.contains("__complete"), "the hidden subcommand stays out of the page")
    }

    /// Hyphens are minus signs (`\-`), backslashes `\e`, no text line starts with a control character, and
    /// characters beyond ASCII are named, so any `man` reads the page the same.
    @Test func stocksTextIsEscapedForRoff() throws {
        let page = try Self.page()
        for line in page.split(separator: "\n") where !line.hasPrefix(".") {
            #expect(!line.hasPrefix("'"), "\(line)")
            #expect(line.unicodeScalars.allSatisfy { $0.isASCII }, "\(line)")
            let unescaped = line.replacingOccurrences(of: "\\-", with: "").replacingOccurrences(of: "\\e", with: "")
            #expect(!unescaped.contains("-"), "\(line)")
        }
        #expect(Roff.escaped(#"a-b\c é"#) == #"a\-b\ec \[u00E9]"#)
        var roff = Roff()
        roff.line(".not a request")
        roff.text("'not one either")
        #expect(roff.text == "\\&.not a request\n\\&'not one either\n")
    }

    @Test(.enabled(if: hasGroff, "groff is not installed"))
    func groffRendersItWithoutAWarning() throws {
        let folder = try TemporaryFolder()
        let file = folder.appendingPathComponent("stock.1").path
        try Data(try Self.page().utf8).write(to: URL(fileURLWithPath: file))
        let result = try runProcess("/usr/bin/groff", ["-man", "-Tutf8", "-ww", "-z", file])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    /// At the widths of a terminal, in a UTF-8 locale and in the C locale (groff's ASCII output).
    @Test(
        .enabled(if: hasMan, "man (man-db) is not installed"),
        arguments: [(60, "C.UTF-8"), (80, "C.UTF-8"), (120, "C.UTF-8"), (80, "C")])
    func manShowsItWithoutAWarning(width: Int, locale: String) throws {
        let folder = try TemporaryFolder()
        let file = folder.appendingPathComponent("stock.1").path
        try Data(try Self.page().utf8).write(to: URL(fileURLWithPath: file))
        let result = try runProcess(
            "/usr/bin/man", ["--warnings", "-l", file],
            environment: StockProcess.environment(["MANWIDTH": String(width), "LC_ALL": locale]))
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(result.stdout.contains("stock completions bash|zsh|fish"))
    }

    @Test func helpManTakesNoSubcommand() throws {
        let result = try StockProcess.run(["help", "batches", "--man"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("help --man prints the whole manual page; it takes no SUBCOMMAND (batches)\n"))
    }
}
