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
