import Allocation
import Foundation
import Glibc
import TestSupport
import Testing

/// The console driven end to end through tmux: one suite, run one test at a time (each starts a tmux server and
/// the real binary), with its tests in files by concern: the forms (`+Forms`), data that changes under the console
/// (`+LiveData`) and the terminal itself (`+Terminal`).
@Suite(.serialized) struct ConsoleEndToEndTests {}
