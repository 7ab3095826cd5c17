extension Settings {
    /// Each setting that an environment variable overrides, as (variable, key), in the order they are applied.
    public static var environmentVariables: [(variable: String, key: String)] {
        keys.compactMap { key in key.variable.map { ($0, key.name) } }
    }
}
