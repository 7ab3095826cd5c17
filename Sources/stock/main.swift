import Foundation

exit(Tool.main(words: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment))
