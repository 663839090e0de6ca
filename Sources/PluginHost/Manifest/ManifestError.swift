// Why a plugin's manifest cannot be loaded: every case names the field and the fix.

/// A manifest problem. `description` says which plugin, which field, and how to fix it.
public struct ManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of problem.
    public enum Kind: Sendable, Equatable {
        /// The file is missing or not a JSON object.
        case unreadable
        /// A field the schema does not define.
        case unknownField
        /// A required field is absent.
        case missingField
        /// A field has the wrong JSON type.
        case wrongType
        /// `schema` is not 1.
        case unsupportedSchema
        /// The id is not a valid plugin id.
        case badID
        /// The id does not match the folder name.
        case idMismatch
        /// The version is not `MAJOR.MINOR.PATCH`.
        case badVersion
        /// The entry script does not exist.
        case missingEntry
        /// A permission the app does not define.
        case unknownPermission
        /// A path that leaves the plugin's folder.
        case pathEscapes
        /// A limit above the app's maximum, or not positive.
        case limitTooHigh
        /// A limit that cannot be read.
        case badLimit
        /// Two plugins with the same id.
        case duplicateID
        /// A hook the app does not offer.
        case unknownHook
        /// A network host that is not `host` or `host:port`.
        case badHost
    }

    /// The kind of problem.
    public var kind: Kind
    /// The plugin folder (or id) concerned.
    public var plugin: String
    /// The field concerned, as a JSON path (`limits.fuel`).
    public var field: String
    /// What is wrong and how to fix it.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, plugin: String, field: String, _ message: String) {
        self.kind = kind
        self.plugin = plugin
        self.field = field
        self.message = message
    }

    /// `plugins/x/plugin.json: field 'hooks': ...`
    public var description: String {
        field.isEmpty ? "plugin \(plugin): \(message)" : "plugin \(plugin): field '\(field)': \(message)"
    }
}
