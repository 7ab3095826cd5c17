import Foundation
import TestSupport
import Testing

/// The PostgreSQL client library is loaded only when a server is named: a run on a file never maps it (nor the
/// TLS, Kerberos and LDAP libraries it needs), and a run on a server does.
@Suite struct LibraryLoadingTests {
    /// The shared libraries process `pid` has mapped, by file name.
    static func mappedLibraries(of pid: Int32) throws -> Set<String> {
        // Read to the end: a /proc file says it is empty, so a read sized by the file's length stops short.
        guard let file = FileHandle(forReadingAtPath: "/proc/\(pid)/maps") else { return [] }
        defer { try? file.close() }
        let maps = String(decoding: try file.readToEnd() ?? Data(), as: UTF8.self)
        return Set(
            maps.split(separator: "\n").compactMap { line in
                line.split(separator: " ", omittingEmptySubsequences: true).last.map {
                    String($0.split(separator: "/").last ?? $0)
                }
            }.filter { $0.contains(".so") })
    }

    /// `events --follow` keeps running, so its mapped libraries can be read while it works.
    static func librariesOfAFollower(on cli: CommandLineFixture) throws -> Set<String> {
        let follower = try cli.start("events", "--follow")
        defer { kill(follower.processIdentifier, SIGTERM) }
        try follower.waitForOutput { $0.contains("LAMP") }
        return try mappedLibraries(of: follower.processIdentifier)
    }

    @Test(.sqliteOnly) func aRunOnAFileNeverLoadsTheServerLibrary() throws {
        let cli = try CommandLineFixture()
        #expect(try cli.stock("add-batch", "b1", "LAMP", "5").status == 0)
        let libraries = try Self.librariesOfAFollower(on: cli)
        #expect(libraries.contains { $0.hasPrefix("libsqlite3.so") }, "\(libraries.sorted())")
        #expect(!libraries.contains { $0.hasPrefix("libpq.so") }, "\(libraries.sorted())")
    }

    /// A machine without the client library: naming a server says so and exits 3; a file still works.
    @Test func withoutTheServerLibraryAServerIsRefusedWithAClearMessage() throws {
        let missing = ["STOCK_TEST_LIBPQ": "libstock-no-such-pq.so.5"]
        let server = try StockProcess.run(
            ["--db", "postgresql://stock@127.0.0.1:1/stock", "batches"], environment: missing)
        #expect(server.status == 3, "\(server.stderr)")
        #expect(
            server.stderr.hasPrefix(
                "cannot connect to a PostgreSQL server: cannot load the PostgreSQL client library: "
                    + "libstock-no-such-pq.so.5"), "\(server.stderr)")
        #expect(server.stderr.hasSuffix("(install libpq5)\n"), "\(server.stderr)")
        let folder = try TemporaryFolder()
        let file = folder.appendingPathComponent("here.sqlite").path
        #expect(try StockProcess.run(["--db", file, "init"], environment: missing).status == 0)
    }

    @Test(.postgresOnly) func aRunOnAServerLoadsIt() throws {
        let cli = try CommandLineFixture()
        #expect(try cli.stock("add-batch", "b1", "LAMP", "5").status == 0)
        let libraries = try Self.librariesOfAFollower(on: cli)
        #expect(libraries.contains { $0.hasPrefix("libpq.so") }, "\(libraries.sorted())")
    }
}
