import Foundation
import TestSupport
import Testing

@testable import Allocation

/// The CSV reader: RFC 4180 with the leniencies spreadsheets need, errors that name the line, constant memory.
@Suite struct CSVReaderTests {
    static func records(_ text: String) throws -> [CSVRecord] {
        try csvRecords(text)
    }

    static func records(_ bytes: [UInt8]) throws -> [CSVRecord] {
        try csvRecords(bytes)
    }

    /// The error reading `bytes` throws.
    static func error(_ bytes: [UInt8]) throws -> CSVError {
        try #require(throws: CSVError.self) { try records(bytes) }
    }

    static func error(_ text: String) throws -> CSVError {
        try error(Array(text.utf8))
    }

    @Test func quotedFieldsHoldCommasQuotesAndNewlinesAndRecordsKnowTheirLine() throws {
        let rows = try Self.records("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nplain,,last\n")
        #expect(rows.map(\.fields) == [["x, y", #"say "hi""#, "two\nlines"], ["plain", "", "last"]])
        #expect(rows.map(\.line) == [2, 4])
        #expect(rows.map(\.row) == [1, 2])
        #expect(rows[0].header == ["a", "b", "c"])
    }

    @Test func crlfLfAndLoneCrEndRecordsMixedInOneFile() throws {
        let rows = try Self.records("a,b\r\n1,2\n3,4\r5,6\r\n\"7\r\n8\",9")
        #expect(rows.map(\.fields) == [["1", "2"], ["3", "4"], ["5", "6"], ["7\r\n8", "9"]])
        #expect(rows.map(\.line) == [2, 3, 4, 5])
    }

    @Test func aByteOrderMarkAtTheStartIsSkipped() throws {
        let rows = try Self.records([0xEF, 0xBB, 0xBF] + Array("reference,sku\nB-1,LAMP\n".utf8))
        #expect(rows.first?.header == ["reference", "sku"])
        #expect(rows.first?.value(of: "reference") == "B-1")
    }

    @Test(arguments: ["", "\u{FEFF}", "\n\n", ",,\r\n"])
    func anEmptyFileHasNoHeaderRow(text: String) throws {
        let error = try Self.error(text)
        #expect(error.description.contains("no header row: the file is empty"), "\(error)")
    }

    @Test func aHeaderOnlyFileHasNoRows() throws {
        let reader = CSVReader(bytes: Array("reference,sku,quantity\n".utf8))
        #expect(try reader.next() == nil)
        #expect(reader.header == ["reference", "sku", "quantity"])
    }

    @Test func headerNamesAreTrimmedAndLookedUpCaseInsensitively() throws {
        let rows = try Self.records(" Order ID , SKU\nO-1, LAMP \n")
        #expect(rows[0].header == ["Order ID", "SKU"])
        #expect(rows[0].value(of: "sku") == " LAMP ", "cells are kept as written")
        #expect(rows[0].value(of: "order id") == "O-1")
        #expect(rows[0].value(of: "eta") == nil)
    }

    @Test func blankLinesAndEmptyRecordsAreSkippedAndNotCountedAsRows() throws {
        let rows = try Self.records("a,b\n\n1,2\n,\n\n3,4\n,\n")
        #expect(rows.map(\.fields) == [["1", "2"], ["3", "4"]])
        #expect(rows.map(\.row) == [1, 2])
        #expect(rows.map(\.line) == [3, 6])
    }

    @Test func aQuoteInsideAnUnquotedFieldIsAnOrdinaryCharacter() throws {
        #expect(try Self.records("a,b\n12\" tile,x\n")[0].fields == [#"12" tile"#, "x"])
    }

    @Test func anUnclosedQuoteAtTheEndOfTheFileNamesTheLineItOpensOn() throws {
        let error = try Self.error("a,b\n1,2\n3,\"open\nmore\nstill")
        #expect(error.line == 3)
        #expect(error.column == 2)
        #expect(
            error.description
                == #"line 3, column 2 (b): a quoted field is not closed before the end of the file (a " is missing)"#)
    }

    @Test func textAfterAClosingQuoteIsRefused() throws {
        let error = try Self.error("a,b\n\"x\"y,2\n")
        #expect(error.line == 2)
        #expect(error.column == 1)
        #expect(error.description.contains("text after the closing quote"))
    }

    @Test func aRecordWithAnotherNumberOfFieldsThanTheHeaderNamesItsLine() throws {
        let error = try Self.error("a,b,c\n1,2,3\n\"x\ny\",2,3\n1,000,2,3\n")
        #expect(error.line == 5)
        #expect(
            error.description
                == "line 5: 4 fields, but the header has 3 (a value with a comma must be in double quotes)")
        #expect(try Self.error("a,b,c\n1,2\n").description == "line 2: 2 fields, but the header has 3")
    }

    @Test func invalidUTF8IsRefusedNamingTheLineAndColumn() throws {
        // "café" in Latin-1, as a spreadsheet saves it when not told UTF-8.
        let error = try Self.error(Array("orderid,sku\nO-1,LAMP\nO-2,caf".utf8) + [0xE9, 0x0A])
        #expect(error.description == "line 3, column 2 (sku): is not valid UTF-8 (save the file as CSV UTF-8)")
    }

    @Test func aNULByteIsRefusedNamingTheLineAndColumn() throws {
        let error = try Self.error(Array("orderid,sku\nO-1,LA".utf8) + [0] + Array("MP\n".utf8))
        #expect(error.description == "line 2, column 2 (sku): contains a NUL byte")
    }

    @Test func aTenMegabyteFieldIsReadWhole() throws {
        let big = String(repeating: "x", count: 10_000_000)
        let started = Date()
        let rows = try Self.records("reference,sku\n\"\(big)\",\(big)\nB-2,LAMP\n")
        #expect(rows.count == 2)
        #expect(rows[0].fields[0].utf8.count == 10_000_000)
        #expect(rows[0].fields[1].utf8.count == 10_000_000)
        #expect(rows[1].line == 3)
        #expect(Date().timeIntervalSince(started) < 20)
    }

    /// A doubled quote, a CRLF and a multi-byte character split across the reader's 64 KiB chunks read the same
    /// as anywhere else.
    @Test func recordsStraddlingTheReadChunksAreReadWhole() throws {
        // The doubled quote starts at byte 65_538 - shift: the chunk ends inside it at shift 3, inside "é" at 8,
        // inside the CRLF at 10.
        for shift in 0..<12 {
            let padding = String(repeating: "p", count: 65_532 - shift)
            let text = "a,b\r\n\"\(padding)\"\"q\",é\r\nz,\"\"\"\"\r\n"
            let rows = try Self.records(text)
            #expect(rows.map(\.fields) == [[padding + "\"q", "é"], ["z", "\""]], "shift \(shift)")
            #expect(rows.map(\.line) == [2, 3])
        }
    }

    @Test func aFileIsCheckedWholeThenReadAgainEvenWhenRemovedMeanwhile() throws {
        let folder = try TemporaryFolder()
        let path = folder.appendingPathComponent("orders.csv").path
        try "orderid,sku,quantity\nO-1,LAMP,1\nO-2,LAMP,2\n".write(toFile: path, atomically: true, encoding: .utf8)
        let file = try CSVFile.open(path, kind: .orders)
        #expect(file.rowCount == 2)
        try FileManager.default.removeItem(atPath: path)
        let reader = try file.records()
        #expect(try reader.next()?.fields == ["O-1", "LAMP", "1"])
        #expect(try reader.next()?.row == 2)
        #expect(try reader.next() == nil)
    }

    @Test func aMalformedFileIsRefusedBeforeAnyRowIsRead() throws {
        let folder = try TemporaryFolder()
        let path = folder.appendingPathComponent("orders.csv").path
        let rows = (1...5000).map { "O-\($0),LAMP,1" }.joined(separator: "\n")
        try "orderid,sku,quantity\n\(rows)\nO-X,\"LAMP,1\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(
            throws: CSVError(
                line: 5002, column: 2, columnName: "sku",
                reason: "a quoted field is not closed before the end of the file (a \" is missing)")
        ) {
            try CSVFile.open(path, kind: .orders)
        }
        #expect(throws: CSVError.self) { try CSVFile.open(path, kind: .batches) }
    }

    @Test func aFileChangedBetweenTheCheckAndTheReadingIsRefused() throws {
        let folder = try TemporaryFolder()
        let path = folder.appendingPathComponent("orders.csv").path
        try "orderid,sku,quantity\nO-1,LAMP,1\n".write(toFile: path, atomically: false, encoding: .utf8)
        let file = try CSVFile.open(path, kind: .orders)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("O-2,\"LAMP\n".utf8))
        try handle.close()
        let error = #expect(throws: InputError.self) { try file.records() }
        #expect(error?.message == "\(path) changed while it was read; nothing was applied, run it again")
    }

    /// A pipe cannot be read twice: it is copied while it is checked, and the copy is read.
    @Test func aPipeIsCheckedThenReadFromItsCopy() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let text = "sku,orderid,quantity\nLAMP,O-1,1\n\"SOFA, RED\",O-2,2\n"
        _ = text.withCString { write(ends[1], $0, strlen($0)) }
        close(ends[1])
        defer { close(ends[0]) }
        let file = try CSVFile(descriptor: ends[0], name: "standard input", owns: false, kind: .orders)
        #expect(file.rowCount == 2)
        #expect(file.header == ["sku", "orderid", "quantity"])
        let reader = try file.records()
        #expect(try reader.next()?.value(of: "orderid") == "O-1")
        #expect(try reader.next()?.value(of: "sku") == "SOFA, RED")
        #expect(try reader.next() == nil)
        let again = try file.records()
        #expect(try again.next()?.line == 2)
    }

    /// A named pipe (as `<(command)` gives) is a path that can be read only once.
    @Test func aNamedPipeIsCheckedThenReadFromItsCopy() throws {
        let folder = try TemporaryFolder()
        let path = folder.appendingPathComponent("fifo").path
        #expect(mkfifo(path, 0o600) == 0)
        let writer = Thread {
            try? "orderid,sku,quantity\nO-1,LAMP,1\n".write(toFile: path, atomically: false, encoding: .utf8)
        }
        writer.start()
        let file = try CSVFile.open(path, kind: .orders)
        #expect(file.rowCount == 1)
        #expect(try file.records().next()?.fields == ["O-1", "LAMP", "1"])
    }

    @Test func aFolderOrAMissingFileIsRefusedWithItsName() throws {
        let folder = try TemporaryFolder()
        let folderError = #expect(throws: InputError.self) { try CSVFile.open(folder.path, kind: .batches) }
        #expect(folderError?.message == "\(folder.path) is a folder, not a file")
        let missing = #expect(throws: InputError.self) { try CSVFile.open("/nonexistent/x.csv", kind: .batches) }
        #expect(missing?.message == "cannot read /nonexistent/x.csv: No such file or directory")
    }
}
