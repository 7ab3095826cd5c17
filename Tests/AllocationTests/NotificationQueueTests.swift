import Foundation
import TestSupport
import Testing

@testable import Allocation

/// Notifications go out after COMMIT on a background queue, in order, and never hold up the command.
@Suite struct NotificationQueueTests {
    let store: TestDatabase

    init() throws {
        store = try TestDatabase()
    }

    @Test func aSlowNotifierDoesNotHoldUpTheCommandAndItsNotificationsArriveInOrder() throws {
        var settings = store.settings
        let output = store.folder.appendingPathComponent("mail.txt").path
        settings.notifier = .command("sleep 0.5; cat >> '\(output)'")
        var failures: [String] = []
        let bus = MessageBus.standard(database: store.database, settings: settings) { failures.append($0) }
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 1)))
        let started = monotonicNow()
        try bus.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 5)))
        try bus.handle(.allocate(Allocate(orderid: "o2", sku: "LAMP", qty: 6)))
        #expect(monotonicNow() - started < 0.4, "the commands did not wait for the notifier")
        #expect(!FileManager.default.fileExists(atPath: output))
        bus.finishNotifications()
        #expect(monotonicNow() - started >= 1.0, "both notifications were waited for")
        #expect(
            try String(contentsOfFile: output, encoding: .utf8)
                == "Out of stock for LAMP: order o1 waits for 5\nOut of stock for LAMP: order o2 waits for 6\n")
        #expect(failures.isEmpty)
    }

    @Test func aFailureWaitsInTheMailboxUntilTheBusesThreadCollectsIt() throws {
        var settings = store.settings
        settings.notifier = .file(path: "/nonexistent/folder/alerts.txt")
        var failures: [String] = []
        let bus = MessageBus.standard(database: store.database, settings: settings) { failures.append($0) }
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 1)))
        try bus.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 5)))
        #expect(bus.notifications.waitForPending())
        #expect(failures.isEmpty, "nothing reaches the log from the background thread")
        bus.reportNotificationFailures()
        #expect(failures.count == 1)
        #expect(
            failures.first?.hasPrefix("event handler \"notify out of stock\" failed on OutOfStock: cannot append")
                == true)
        bus.reportNotificationFailures()
        #expect(failures.count == 1, "each failure is reported once")
    }
}
