import Foundation

// A parent (a test runner, a service manager) may have left signals blocked; `stock events --follow` and the
// console must still stop on SIGINT and SIGTERM.
var unblocked = sigset_t()
sigemptyset(&unblocked)
pthread_sigmask(SIG_SETMASK, &unblocked, nil)

exit(Tool.main(words: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment))
