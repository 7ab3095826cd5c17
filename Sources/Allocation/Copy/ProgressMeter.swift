/// Counts the rows a copy wrote and checked, and reports them every hundred rows or so.
final class ProgressMeter {
    let total: Int
    let report: (_ done: Int, _ total: Int) -> Void
    private var done = 0
    private var reported = 0

    init(total: Int, report: @escaping (_ done: Int, _ total: Int) -> Void) {
        self.total = total
        self.report = report
    }

    func advance(by rows: Int) {
        done += rows
        guard done - reported >= CopiedTable.rowsPerInsert else { return }
        reported = done
        report(done, total)
    }
}
