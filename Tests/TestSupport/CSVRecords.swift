import Allocation

/// Every data record of CSV `bytes`, read by the import's reader.
public func csvRecords(_ bytes: [UInt8]) throws -> [CSVRecord] {
    let reader = CSVReader(bytes: bytes)
    var records: [CSVRecord] = []
    while let record = try reader.next() { records.append(record) }
    return records
}

/// Every data record of CSV `text`.
public func csvRecords(_ text: String) throws -> [CSVRecord] {
    try csvRecords(Array(text.utf8))
}
