// What a plugin's writable data folders hold on the host, and the room that leaves a session.
// WASI quotas count what one session writes; the folders outlive sessions (a plugin stopped by
// a limit restarts with fresh quotas), so each session start measures the folders and gives
// the session only what `PluginLimits.dataBytes` and `.dataEntries` leave.

import Foundation
import MicroPythonRuntime
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The files, directories and bytes under some folders, counted without following symbolic
/// links and with a bound on the number of entries visited.
struct DataFolderUsage: Sendable, Equatable {
    /// Total size of the regular files counted (their length, holes included).
    var bytes = 0
    /// Files, directories and other entries counted (the folders themselves are not).
    var entries = 0
    /// The walk stopped early: past the entry bound, or unable to read a directory (for want
    /// of descriptors, say) or to get back to one it had left. `bytes` and `entries` then count
    /// only part of what the folders hold.
    var truncated = false

    /// Measures `folders`, stopping once more than `maxEntries` entries have been counted.
    /// A folder inside another one listed (after resolving symbolic links) is counted once;
    /// a missing folder, or a directory that vanishes or becomes something else during the walk,
    /// counts nothing. Only one directory is held open at a time, however deep
    /// the tree: the walk returns to a parent through `..` and checks it is the same directory.
    static func measure(_ folders: [URL], maxEntries: Int) -> DataFolderUsage {
        var usage = DataFolderUsage()
        for root in distinctRoots(folders) {
            usage.walk(root, maxEntries: maxEntries)
            if usage.truncated { break }
        }
        return usage
    }

    /// The folders' resolved paths, without those inside (or equal to) another.
    static func distinctRoots(_ folders: [URL]) -> [String] {
        let paths = Set(folders.map { $0.resolvingSymlinksInPath().standardizedFileURL.path }).sorted()
        var kept: [String] = []
        for p in paths where !kept.contains(where: { p == $0 || p.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }) {
            kept.append(p)
        }
        return kept
    }

    /// A directory being walked: its identity (to check the way back up) and the
    /// subdirectories still to visit.
    private struct Frame {
        var device: UInt64
        var inode: UInt64
        var pending: [String]
    }

    /// Adds what `root` holds.
    private mutating func walk(_ root: String, maxEntries: Int) {
        var fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            if !Self.isGone(errno) { truncated = true }
            return
        }
        defer { close(fd) }
        guard let first = frame(of: fd, maxEntries: maxEntries) else { truncated = true; return }
        var stack = [first]
        while !truncated, !stack.isEmpty {
            if let name = stack[stack.count - 1].pending.popLast() {
                let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard child >= 0 else {
                    // Gone, or not a directory any more: it was counted as an entry; nothing to add.
                    if Self.isGone(errno) { continue }
                    truncated = true
                    return
                }
                close(fd)
                fd = child
                guard let next = frame(of: fd, maxEntries: maxEntries) else { truncated = true; return }
                stack.append(next)
            } else {
                stack.removeLast()
                guard let parent = stack.last else { return }
                let up = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                guard up >= 0 else { truncated = true; return }
                close(fd)
                fd = up
                guard let (device, inode) = Self.identity(fd), device == parent.device, inode == parent.inode else {
                    truncated = true
                    return
                }
            }
        }
    }

    /// Counts the entries of the directory open at `fd` and returns its frame (nil when it
    /// cannot be read, or the bound was passed).
    private mutating func frame(of fd: Int32, maxEntries: Int) -> Frame? {
        guard let (device, inode) = Self.identity(fd) else { return nil }
        let copy = dup(fd)
        guard copy >= 0 else { return nil }
        guard let directory = fdopendir(copy) else {
            close(copy)
            return nil
        }
        defer { closedir(directory) }
        var pending: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    String(cString: $0)
                }
            }
            if name == "." || name == ".." { continue }
            entries += 1
            if entries > maxEntries {
                truncated = true
                return nil
            }
            var info = stat()
            guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                let (sum, overflow) = bytes.addingReportingOverflow(Int(info.st_size))
                bytes = overflow ? Int.max : sum
            case S_IFDIR:
                pending.append(name)
            default:
                break
            }
        }
        return Frame(device: device, inode: inode, pending: pending)
    }

    /// Whether a failed open means there is nothing (more) to count there: the name is gone,
    /// is no longer a directory, or is now a symbolic link.
    private static func isGone(_ error: Int32) -> Bool {
        error == ENOENT || error == ENOTDIR || error == ELOOP
    }

    /// The device and inode of the directory open at `fd`.
    private static func identity(_ fd: Int32) -> (UInt64, UInt64)? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }
}

/// The file quotas one session of a plugin gets: its per-session quotas, lowered to the room its
/// writable data folders have left under `PluginLimits.dataBytes` and `.dataEntries`.
struct DataFolderBudget: Sendable, Equatable {
    /// What the folders held when the session started.
    var usage: DataFolderUsage
    /// The plugin's data limits.
    var maxDataBytes: Int
    var maxDataEntries: Int
    /// The per-session quotas (`PythonLimits.maxBytesWritten`, `.maxFileEntries`).
    var sessionBytes: Int
    var sessionEntries: Int

    /// Measures the plugin's writable data folders for a session with `session`'s quotas.
    init(folders: [URL], limits: PluginLimits, session: PythonLimits) {
        usage = DataFolderUsage.measure(folders, maxEntries: max(0, limits.dataEntries))
        maxDataBytes = limits.dataBytes
        maxDataEntries = limits.dataEntries
        sessionBytes = session.maxBytesWritten
        sessionEntries = session.maxFileEntries
    }

    /// Bytes the folders have room for. None when the walk stopped early: what it did not count
    /// is unknown.
    var bytesLeft: Int { usage.truncated ? 0 : max(0, maxDataBytes - usage.bytes) }
    /// Entries the folders have room for.
    var entriesLeft: Int { usage.truncated ? 0 : max(0, maxDataEntries - usage.entries) }
    /// The session's `WasiQuotas.maxBytesWritten`.
    var maxBytesWritten: Int { min(sessionBytes, bytesLeft) }
    /// The session's `WasiQuotas.maxEntries`.
    var maxEntries: Int { min(sessionEntries, entriesLeft) }

    /// `error` explained in terms of the data folders when their limit, not the per-session
    /// quota, is what stopped the session; other errors unchanged.
    func explain(_ error: SessionError) -> SessionError {
        guard case .limitExceeded(let limit, _) = error else { return error }
        let held = !usage.truncated ? "\(usage.bytes) bytes in \(usage.entries) files and directories"
            : usage.entries > maxDataEntries ? "more than \(maxDataEntries) files and directories"
            : "what could not be measured (a directory could not be read)"
        let advice = "delete files from them (the room is counted again when the plugin next starts) or raise the plugin's limits.data / limits.dataEntries"
        switch limit {
        case .fileWrites where bytesLeft < sessionBytes:
            return .limitExceeded(limit, "the plugin's data folders are full: they held \(held) when its session started, "
                                  + "of the \(maxDataBytes) bytes its data limit allows (limits.data), "
                                  + "so the session could write \(maxBytesWritten) bytes; \(advice)")
        case .fileEntries where entriesLeft < sessionEntries:
            return .limitExceeded(limit, "the plugin's data folders are full: they held \(held) when its session started, "
                                  + "of the \(maxDataEntries) files and directories its data limit allows (limits.dataEntries), "
                                  + "so the session could create \(maxEntries); \(advice)")
        default:
            return error
        }
    }
}
