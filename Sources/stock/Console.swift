import Allocation

extension Tool {
    func openConsole(readOnly: Bool) throws -> Int32 {
        throw UsageError(message: "the console is not built yet")
    }
}
