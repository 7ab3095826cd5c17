extension Command {
    /// The command a JSON line names: its top-level `"command"` string, even when the line is refused (an unknown
    /// command, a missing or mistyped field); nil when the line is not a JSON object with a string there.
    public static func name(inJSONLine text: String) -> String? {
        guard case .object(let object)? = try? JSONReader.read(text).value,
            case .string(let name)? = object["command"]
        else { return nil }
        return name
    }
}
