import Allocation
import Foundation

/// The operator's commands: sent through the bus, waited for with the screen alive, and their outcome said.
extension ConsoleApp {
    /// Called while a command waits for another process's write lock: says so with the seconds waited, keeps
    /// the frame drawn (and resized), and reads the keys: Esc gives up (the command is refused, nothing changed,
    /// unless its `COMMIT` was already made on a server that waits for a synchronous standby: then the outcome
    /// says it is committed on the primary only); other keys are dropped, since they would act on a screen the
    /// command's outcome is about to change.
    ///
    /// - Returns: false to give up.
    func whileWaiting(_ seconds: Double) -> Bool {
        guard let terminal, Signals.received == 0 else { return Signals.received == 0 }
        var giveUp = false
        while let key = terminal.readKey(timeout: 0) {
            switch key {
            case .resize: resize(terminal)
            case .escape: giveUp = true
            default: break
            }
        }
        guard !giveUp else { return false }
        let waited = String(format: "%.1f", seconds)
        state.status.say("waiting for the database… \(waited) s (Esc gives up)", style: .alert, remember: false)
        draw(on: terminal)
        return true
    }

    func perform(_ command: Command) {
        guard self.bus != nil else {
            state.commandRefused("read-only monitor")
            return
        }
        _ = checkFile()
        if let fileLost {
            // Writing to a file nobody can open again would lose the command after acknowledging it.
            state.commandRefused(fileLost)
            return
        }
        // A command is worth a reconnection attempt at once.
        _ = reconnectLostServer(atOnce: true)
        if let connectionLost {
            state.commandRefused(connectionLost)
            return
        }
        guard let bus = self.bus else { return }
        if state.paused {
            state.paused = false
            followPause()
        }
        logged = []
        database.whileWaiting = { [unowned self] in whileWaiting($0) }
        defer {
            database.whileWaiting = nil
            if !logged.isEmpty {
                // The core's trouble first: the outcome after it may be cut at the status line's end.
                let said = state.status.message.map { [$0] } ?? []
                state.status.say((logged + said).joined(separator: "; "), style: .error)
            }
        }
        do {
            let outcome = try bus.handle(command)
            if case .batchCreated(let reference, _, _, _, _) = outcome { state.select(batch: reference) }
            let warning = database.takeCommitWarning()
            state.commandDone(
                outcome.statusLine(for: command) + replanOffer(after: command, outcome: outcome)
                    + (warning.map { "; " + $0 } ?? ""),
                style: outcome.leftLinesWaiting || warning != nil ? .alert : .ok)
        } catch AllocationError.changedMeanwhile(let sku, _, _) {
            if case .changeBatchQuantity(let change) = command {
                state.previewOutdated(change, sku: sku)
            } else if case .receiveBatch(let receipt) = command {
                state.previewOutdated(
                    .receipt(ReceiveBatch(ref: receipt.ref, qty: receipt.qty, restEta: receipt.restEta)), sku: sku)
            }
        } catch AllocationError.invalidSKU(let sku, _) {
            // A SKU typed in the wrong case, or misspelt, is named as the one meant.
            let refusal = (try? Views.unknownSKU(sku, in: database)) ?? AllocationError.invalidSKU(sku)
            state.commandRefused(refusal.description)
        } catch {
            state.commandRefused(noticeLostConnection(error))
        }
        reload(all: true, follow: true, flash: false)
    }

    /// After a receipt or an ETA change that lets lines of the batch's SKU complete sooner, the offer to re-plan
    /// them (`; R re-plans: 2 lines complete sooner`); empty otherwise, or when it cannot be worked out.
    private func replanOffer(after command: Command, outcome: Outcome) -> String {
        guard outcome.changed else { return "" }
        let reference: String
        switch command.normalized {
        case .receiveBatch(let receipt): reference = receipt.ref
        case .changeBatchEta(let change): reference = change.ref
        case .unreceiveBatch(let unreceipt): reference = unreceipt.ref
        default: return ""
        }
        let lines =
            (try? Views.replanOffer(
                afterChangeOf: reference, policy: state.splitLines, today: state.today, in: database)) ?? []
        guard !lines.isEmpty else { return "" }
        return "; R re-plans: "
            + (lines.count == 1 ? "1 line completes sooner" : "\(lines.count) lines complete sooner")
    }
}
