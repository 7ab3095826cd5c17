import Allocation
import Foundation
import TestSupport
import Testing

/// The console notices its database file removed or replaced by the path's device and inode.
@Suite struct FileIdentityTests {
    @Test func aReplacedFileHasAnotherIdentityAndARemovedOneNone() throws {
        let folder = try TemporaryFolder()
        let path = folder.appendingPathComponent("stock.sqlite").path
        let other = folder.appendingPathComponent("other.sqlite").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("a".utf8)))
        #expect(FileManager.default.createFile(atPath: other, contents: Data("b".utf8)))
        let opened = try #require(FileIdentity(path: path))
        #expect(FileIdentity(path: path) == opened)
        #expect(rename(other, path) == 0)
        #expect(FileIdentity(path: path) != opened)
        #expect(unlink(path) == 0)
        #expect(FileIdentity(path: path) == nil)
    }
}

/// The one rule by which the console, the monitor and `events --follow` notice a lost database file.
@Suite struct FileWatchTests {
    @Test func theWatchHoldsWhileThePathNamesTheOpenedFileAndNotAfterARemovalOrAReplacement() throws {
        let folder = try TemporaryFolder()
        let path = folder.appendingPathComponent("stock.sqlite").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("a".utf8)))
        let watch = FileWatch(path: path)
        #expect(watch.isIntact)
        #expect(FileManager.default.createFile(atPath: path + ".new", contents: Data("b".utf8)))
        #expect(rename(path + ".new", path) == 0)
        #expect(!watch.isIntact, "replaced")
        #expect(FileWatch(path: path).isIntact, "a new watch follows the new file")
        #expect(unlink(path) == 0)
        let missing = folder.appendingPathComponent("missing.sqlite").path
        #expect(FileWatch(path: missing).isIntact, "a path that named no file at start notices nothing")
        #expect(!watch.isIntact, "removed")
        #expect(FileWatch.lostMessage(name: "stock.sqlite") == "database file stock.sqlite was removed or replaced")
    }
}
