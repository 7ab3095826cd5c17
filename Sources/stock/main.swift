import Foundation

// A parent (a test runner, a service manager) may have left signals blocked; `stock events --follow` and the
// console must still stop on SIGINT and SIGTERM.
var unblocked = sigset_t()
sigemptyset(&unblocked)
pthread_sigmask(SIG_SETMASK, &unblocked, nil)

// A write past the file-size limit (`ulimit -f`) must fail with EFBIG, which stock reports as "file too large"
// with what was committed, rather than kill the process with SIGXFSZ, whose default action is to end it.
signal(SIGXFSZ, SIG_IGN)

// Arguments are checked, not repaired: invalid UTF-8 must not become a reference with U+FFFD in it.
for index in 1..<Int(CommandLine.argc) {
    guard let argument = CommandLine.unsafeArgv[index], String(validatingCString: argument) != nil else {
        FileHandle.standardError.write(Data("argument \(index) is not valid UTF-8 text\n".utf8))
        exit(ExitStatus.usage.rawValue)
    }
}

// Character widths (`wcwidth`) in the listings follow the user's locale.
setlocale(LC_CTYPE, "")

exit(
    Tool.main(words: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
        .rawValue)
